/**
 * The protocol's invariants, checked for one rotator against the Secrets Manager stand-in and the rotator's
 * provider stand-in: two full rotations in a row, every step invoked twice, a crash between every pair of steps
 * and inside the steps' writes, and a provider failure at every step. After each: AWSCURRENT holds a value the
 * provider accepts, at most one version is AWSPENDING, and no value ever stored reached a log line.
 */
import { randomUUID } from 'node:crypto';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Rotator, ROTATION_STEPS, RotationStep, runRotationStep } from '../../lambda/rotation/engine';
import { jsonLogger } from '../../lambda/shared/log';
import { parseSecretValue, SecretValue } from '../../lambda/shared/secret-value';
import { FakeSecretsManager, oneAttemptClient } from '../../tools/stand-ins/secrets-manager';

export interface RotatorFixture {
  /** The first AWSCURRENT SecretString, as set out of band. */
  readonly initialSecretString: string;
  readonly rotator: Rotator;
  /** Whether the provider accepts this value now. */
  accepts(value: SecretValue): Promise<boolean>;
  /**
   * Makes the provider (or consumer) fail the next call `step` makes to it. Every step of every kind makes one:
   * finishSecret at least re-tests the pending value.
   */
  failProviderAt(step: RotationStep): void;
  /** Makes the provider answer createSecret's call as over its rate limit (429 / ThrottlingException), once. */
  throttleProviderAtCreate(): void;
  /** Every credential the provider ever minted. */
  mintedValues(): string[];
  /** Further checks after each scenario (e.g. how many keys are live at the provider). */
  extraInvariants?(): Promise<void> | void;
  close(): Promise<void>;
}

export const SECRET_NAME = 'miko/test/credential';

export function rotationInvariantSuite(
  kind: string,
  makeFixture: (sm: SecretsManagerClient, fake: FakeSecretsManager) => Promise<RotatorFixture>,
): void {
  describe(`rotation protocol invariants: ${kind}`, () => {
    let fake: FakeSecretsManager;
    let sm: SecretsManagerClient;
    let fixture: RotatorFixture;
    let logLines: string[];
    const consoleLines: string[] = [];

    beforeEach(async () => {
      fake = new FakeSecretsManager();
      const endpoint = await fake.start();
      sm = oneAttemptClient(endpoint);
      fixture = await makeFixture(sm, fake);
      fake.createSecret(SECRET_NAME, fixture.initialSecretString, async () => undefined);
      logLines = [];
      for (const method of ['log', 'info', 'warn', 'error'] as const) {
        jest
          .spyOn(console, method)
          .mockImplementation((...args: unknown[]) => void consoleLines.push(args.map(String).join(' ')));
      }
    });

    afterEach(async () => {
      jest.restoreAllMocks();
      sm.destroy();
      await fixture.close();
      await fake.stop();
    });

    const step = (name: RotationStep, token: string) =>
      runRotationStep(
        { Step: name, SecretId: SECRET_NAME, ClientRequestToken: token },
        {
          sm,
          rotator: fixture.rotator,
          log: jsonLogger({ fn: 'test' }, (line) => logLines.push(line)),
        },
      );

    async function rotateFully(token: string = fake.beginRotation(SECRET_NAME)): Promise<string> {
      for (const name of ROTATION_STEPS) await step(name, token);
      return token;
    }

    async function expectInvariants(): Promise<void> {
      const current = parseSecretValue(fake.valueAt(SECRET_NAME, 'AWSCURRENT'), 'AWSCURRENT');
      expect(await fixture.accepts(current)).toBe(true);
      const pending = Object.values(fake.stages(SECRET_NAME)).filter((stages) => stages.includes('AWSPENDING'));
      expect(pending.length).toBeLessThanOrEqual(1);
      const secrets = [
        ...fake.allValues(SECRET_NAME).flatMap((s) => [s, parseSecretValue(s, 'version').value]),
        ...fixture.mintedValues(),
      ];
      for (const line of [...logLines, ...consoleLines])
        for (const secret of secrets) expect(line.includes(secret)).toBe(false);
      await fixture.extraInvariants?.();
    }

    it('rotates twice in a row, keeping the previous value as AWSPREVIOUS', async () => {
      const first = fake.valueAt(SECRET_NAME, 'AWSCURRENT');
      const token1 = await rotateFully();
      await expectInvariants();
      expect(fake.stages(SECRET_NAME)[token1]).toEqual(['AWSCURRENT']);
      expect(fake.valueAt(SECRET_NAME, 'AWSPREVIOUS')).toBe(first);
      const second = fake.valueAt(SECRET_NAME, 'AWSCURRENT');
      expect(second).not.toBe(first);

      const token2 = await rotateFully();
      await expectInvariants();
      expect(fake.stages(SECRET_NAME)[token2]).toEqual(['AWSCURRENT']);
      expect(fake.valueAt(SECRET_NAME, 'AWSPREVIOUS')).toBe(second);
      expect(Object.keys(fake.stages(SECRET_NAME))).toHaveLength(2);
      // The previous value keeps working during the switch (until it is two rotations old).
      expect(await fixture.accepts(parseSecretValue(second, 'previous'))).toBe(true);
    });

    it('ends right when every step is invoked twice, making one value per rotation', async () => {
      for (let rotation = 0; rotation < 2; rotation++) {
        const token = fake.beginRotation(SECRET_NAME);
        const putsBefore = fake.calls.filter((c) => c === 'PutSecretValue').length;
        for (const name of ROTATION_STEPS) {
          await step(name, token);
          await step(name, token);
        }
        expect(fake.calls.filter((c) => c === 'PutSecretValue').length - putsBefore).toBe(1);
        expect(fake.stages(SECRET_NAME)[token]).toEqual(['AWSCURRENT']);
        await expectInvariants();
      }
    });

    it.each([0, 1, 2])('survives a crash after step %i and finishes on retry', async (crashAfter) => {
      const token = fake.beginRotation(SECRET_NAME);
      for (const name of ROTATION_STEPS.slice(0, crashAfter + 1)) await step(name, token);
      await expectInvariants();
      expect(fake.stages(SECRET_NAME)[token]).toEqual(['AWSPENDING']);
      await rotateFully(token); // Secrets Manager retries the same version from the start
      expect(fake.stages(SECRET_NAME)[token]).toEqual(['AWSCURRENT']);
      await expectInvariants();
    });

    it.each([
      ['createSecret', 'PutSecretValue', 0],
      ['finishSecret', 'UpdateSecretVersionStage', 0],
      ['finishSecret', 'UpdateSecretVersionStage', 1],
    ] as const)('survives a crash inside %s (at %s #%i) and finishes on retry', async (name, operation, skip) => {
      await rotateFully(); // so there is an AWSPREVIOUS to retire
      const token = fake.beginRotation(SECRET_NAME);
      for (const before of ROTATION_STEPS.slice(0, ROTATION_STEPS.indexOf(name))) await step(before, token);
      fake.failCall(operation, skip);
      await expect(step(name, token)).rejects.toThrow();
      await expectInvariants();
      await rotateFully(token);
      expect(fake.stages(SECRET_NAME)[token]).toEqual(['AWSCURRENT']);
      await expectInvariants();
    });

    it.each(ROTATION_STEPS.map((s) => [s]))(
      'keeps AWSCURRENT working when the provider fails during %s, then recovers',
      async (failing) => {
        await rotateFully();
        const currentBefore = fake.valueAt(SECRET_NAME, 'AWSCURRENT');
        const token = fake.beginRotation(SECRET_NAME);
        for (const before of ROTATION_STEPS.slice(0, ROTATION_STEPS.indexOf(failing))) await step(before, token);
        fixture.failProviderAt(failing);
        await expect(step(failing, token)).rejects.toThrow();
        expect(fake.valueAt(SECRET_NAME, 'AWSCURRENT')).toBe(currentBefore);
        await expectInvariants();
        await rotateFully(token);
        expect(fake.stages(SECRET_NAME)[token]).toEqual(['AWSCURRENT']);
        await expectInvariants();
      },
    );

    it('fails createSecret cleanly when the provider throttles it, then finishes on the retry', async () => {
      await rotateFully();
      const currentBefore = fake.valueAt(SECRET_NAME, 'AWSCURRENT');
      const token = fake.beginRotation(SECRET_NAME);
      fixture.throttleProviderAtCreate();
      await expect(step('createSecret', token)).rejects.toThrow(/HTTP 429|Rate exceeded/);
      expect(fake.valueAt(SECRET_NAME, 'AWSCURRENT')).toBe(currentBefore);
      await expectInvariants();
      await rotateFully(token);
      expect(fake.stages(SECRET_NAME)[token]).toEqual(['AWSCURRENT']);
      await expectInvariants();
    });

    it('never promotes a value the provider rejects, even when finishSecret comes without testSecret', async () => {
      await rotateFully();
      const currentBefore = fake.valueAt(SECRET_NAME, 'AWSCURRENT');
      const token = fake.beginRotation(SECRET_NAME);
      await step('createSecret', token);
      await step('setSecret', token);
      fixture.failProviderAt('testSecret'); // the provider will reject the pending value once
      await expect(step('finishSecret', token)).rejects.toThrow();
      expect(fake.valueAt(SECRET_NAME, 'AWSCURRENT')).toBe(currentBefore);
      expect(fake.stages(SECRET_NAME)[token]).toEqual(['AWSPENDING']);
      await expectInvariants();
      await step('finishSecret', token); // accepted now: promoted
      expect(fake.stages(SECRET_NAME)[token]).toEqual(['AWSCURRENT']);
    });

    it('treats a token that is already AWSCURRENT as done, and refuses one that is not AWSPENDING', async () => {
      const token = await rotateFully();
      const callsBefore = fake.calls.length;
      for (const name of ROTATION_STEPS) await step(name, token);
      expect(fake.calls.slice(callsBefore).every((c) => c === 'DescribeSecret')).toBe(true);
      const stray = randomUUID();
      await expect(step('createSecret', stray)).rejects.toThrow(/no stage for rotation/);
      const superseded = fake.beginRotation(SECRET_NAME);
      fake.beginRotation(SECRET_NAME); // a newer rotation takes the AWSPENDING label away
      await expect(step('createSecret', superseded)).rejects.toThrow(/not AWSPENDING|no stage/);
      await expectInvariants();
    });

    it('never lets a later rotation leave two pending versions', async () => {
      const abandoned = fake.beginRotation(SECRET_NAME);
      await step('createSecret', abandoned);
      await rotateFully();
      await expectInvariants();
      expect(Object.keys(fake.stages(SECRET_NAME))).not.toContain(abandoned);
    });
  });
}
