/**
 * The engine's own decisions, with a rotator that records what it is asked: which step runs what, the token and
 * stage checks and their exact messages (what on-call reads), the labels it writes, and its log lines (fields, never
 * a value).
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  RotationEvent,
  RotationProtocolError,
  RotationStep,
  Rotator,
  runRotationStep,
} from '../../lambda/rotation/engine';
import { jsonLogger } from '../../lambda/shared/log';
import { SecretValue } from '../../lambda/shared/secret-value';
import { FakeSecretsManager, oneAttemptClient } from '../../tools/stand-ins/secrets-manager';

const NAME = 'miko/test/engine';
const INITIAL = { value: 'initial-value-0' };

let fake: FakeSecretsManager;
let sm: SecretsManagerClient;
let lines: Array<Record<string, unknown>>;
let asked: Array<{ call: string; input: unknown }>;

const rotator: Rotator = {
  async create(input) {
    asked.push({ call: 'create', input });
    return { value: `made-for-${input.token}` };
  },
  async set(input) {
    asked.push({ call: 'set', input });
  },
  async test(pending) {
    asked.push({ call: 'test', input: pending });
  },
  async retire(input) {
    asked.push({ call: 'retire', input });
  },
};

const step = (Step: RotationStep | string, token: string, secretId = NAME) =>
  runRotationStep({ Step, SecretId: secretId, ClientRequestToken: token } as RotationEvent, {
    sm,
    rotator,
    log: jsonLogger({}, (line) => lines.push(JSON.parse(line))),
  });

async function rotateFully(): Promise<void> {
  const token = fake.beginRotation(NAME);
  for (const s of ['createSecret', 'setSecret', 'testSecret', 'finishSecret']) await step(s, token);
}

const idOf = (stage: string) => Object.entries(fake.stages(NAME)).find(([, s]) => s.includes(stage))![0];

beforeEach(async () => {
  fake = new FakeSecretsManager();
  const endpoint = await fake.start();
  sm = oneAttemptClient(endpoint);
  fake.createSecret(NAME, JSON.stringify(INITIAL), async () => undefined);
  lines = [];
  asked = [];
});

afterEach(async () => {
  sm.destroy();
  await fake.stop();
});

async function rejection(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

describe('refusals, with the message on-call reads', () => {
  it('an unknown step, before any call', async () => {
    const error = await rejection(step('rollbackSecret', fake.beginRotation(NAME)));
    expect(error).toBeInstanceOf(RotationProtocolError);
    expect(error.name).toBe('RotationProtocolError');
    expect(error.message).toBe('unknown step "rollbackSecret"');
    expect(fake.calls.filter((c) => c !== 'DescribeSecret')).toEqual([]);
  });

  it('a secret whose rotation is not enabled', async () => {
    fake.createSecret('miko/test/manual', JSON.stringify(INITIAL));
    const token = fake.beginRotation('miko/test/manual');
    await expect(step('createSecret', token, 'miko/test/manual')).rejects.toThrow(
      new RotationProtocolError('rotation is not enabled on this secret. Fix: deploy its rotation schedule.'),
    );
    expect(asked).toEqual([]);
  });

  it('a secret with no AWSCURRENT version', async () => {
    fake.createSecret('miko/test/empty', undefined, async () => undefined);
    const token = fake.beginRotation('miko/test/empty');
    await expect(step('createSecret', token, 'miko/test/empty')).rejects.toThrow(
      'the secret has no AWSCURRENT version. Fix: set its first value (README "Credentials").',
    );
  });

  it('a token that is not AWSPENDING (here: AWSPREVIOUS), at every step', async () => {
    await rotateFully();
    const previous = idOf('AWSPREVIOUS');
    for (const s of ['createSecret', 'setSecret', 'testSecret', 'finishSecret']) {
      await expect(step(s, previous)).rejects.toThrow(
        new RotationProtocolError(`version ${previous} is not AWSPENDING. Fix: start a new rotation.`),
      );
    }
    expect(asked.slice(5)).toEqual([]);
  });

  it('setSecret before createSecret stored a value: "has no AWSPENDING value"', async () => {
    const token = fake.beginRotation(NAME);
    await expect(step('setSecret', token)).rejects.toThrow(
      new RotationProtocolError(
        `version ${token} has no AWSPENDING value. Fix: restart the rotation (npm run rotate).`,
      ),
    );
    expect(asked).toEqual([]);
  });

  it('a stored value that is not JSON is named by version and stage', async () => {
    fake.createSecret('miko/test/garbled', 'not json', async () => undefined);
    const currentId = Object.keys(fake.stages('miko/test/garbled'))[0];
    await expect(step('createSecret', fake.beginRotation('miko/test/garbled'), 'miko/test/garbled')).rejects.toThrow(
      `version ${currentId} (AWSCURRENT) is not JSON.`,
    );
  });

  it('a Secrets Manager failure while reading a version is that failure, not "no value"', async () => {
    const token = fake.beginRotation(NAME);
    fake.failCall('GetSecretValue');
    const error = await rejection(step('createSecret', token));
    expect(error.name).toBe('InternalServiceError');
    expect(asked).toEqual([]);
  });
});

describe('each step', () => {
  it('createSecret stores the made value under the token as AWSPENDING, and logs ids only', async () => {
    const token = fake.beginRotation(NAME);
    await step('createSecret', token);
    expect(asked).toEqual([{ call: 'create', input: { current: INITIAL, token } }]);
    const put = fake.requests.filter((r) => r.operation === 'PutSecretValue');
    expect(put.map((r) => r.input)).toEqual([
      expect.objectContaining({
        SecretId: NAME,
        ClientRequestToken: token,
        VersionStages: ['AWSPENDING'],
        SecretString: JSON.stringify({ value: `made-for-${token}` }),
      }),
    ]);
    expect(lines).toEqual([
      { level: 'info', message: 'stored the pending value', secretId: NAME, versionId: token, step: 'createSecret' },
    ]);
  });

  it('createSecret again reuses the stored value', async () => {
    const token = fake.beginRotation(NAME);
    await step('createSecret', token);
    await step('createSecret', token);
    expect(asked.map((a) => a.call)).toEqual(['create']);
    expect(lines[1]).toEqual({
      level: 'info',
      message: 'pending value exists; reusing it',
      secretId: NAME,
      versionId: token,
      step: 'createSecret',
    });
  });

  it('setSecret and testSecret hand the rotator the stored values', async () => {
    const token = fake.beginRotation(NAME);
    await step('createSecret', token);
    const pending: SecretValue = { value: `made-for-${token}` };
    await step('setSecret', token);
    await step('testSecret', token);
    expect(asked.slice(1)).toEqual([
      { call: 'set', input: { current: INITIAL, pending } },
      { call: 'test', input: pending },
    ]);
    expect(lines.slice(1)).toEqual([
      {
        level: 'info',
        message: 'pending value set at its consumer',
        secretId: NAME,
        versionId: token,
        step: 'setSecret',
      },
      { level: 'info', message: 'pending value works', secretId: NAME, versionId: token, step: 'testSecret' },
    ]);
  });

  it('finishSecret re-tests, retires with nothing to retire on a first rotation, and moves the labels', async () => {
    const currentId = idOf('AWSCURRENT');
    const token = fake.beginRotation(NAME);
    await step('createSecret', token);
    const reads = fake.calls.filter((c) => c === 'GetSecretValue').length;
    await step('finishSecret', token);
    const pending = { value: `made-for-${token}` };
    expect(asked.slice(1)).toEqual([
      { call: 'test', input: pending },
      { call: 'retire', input: { keep: [INITIAL, pending], retiring: undefined } },
    ]);
    // current and pending only: no AWSPREVIOUS to read
    expect(fake.calls.filter((c) => c === 'GetSecretValue').length - reads).toBe(2);
    expect(fake.stages(NAME)).toEqual({ [token]: ['AWSCURRENT'], [currentId]: ['AWSPREVIOUS'] });
    expect(lines[1]).toEqual({
      level: 'info',
      message: 'pending value is now AWSCURRENT',
      secretId: NAME,
      versionId: token,
      step: 'finishSecret',
      previousVersionId: currentId,
    });
  });

  it('finishSecret retires AWSPREVIOUS, but never the version being promoted', async () => {
    await rotateFully();
    const second = { value: `made-for-${idOf('AWSCURRENT')}` };
    const token = fake.beginRotation(NAME);
    await step('createSecret', token);
    asked = [];
    await step('finishSecret', token);
    const pending = { value: `made-for-${token}` };
    expect(asked[1]).toEqual({ call: 'retire', input: { keep: [second, pending], retiring: INITIAL } });

    // A rotation that reuses the AWSPREVIOUS version's id: that version is kept, not retired.
    const previous = idOf('AWSPREVIOUS');
    fake.beginRotation(NAME, previous);
    asked = [];
    await step('finishSecret', previous);
    expect(asked[1]).toEqual({
      call: 'retire',
      input: { keep: [pending, second], retiring: undefined },
    });
  });
});

describe('a version that is already AWSCURRENT', () => {
  it('is done at every step; a pending label left by a crash is tidied only by finishSecret', async () => {
    const token = fake.beginRotation(NAME);
    await step('createSecret', token);
    fake.failCall('UpdateSecretVersionStage', 1); // crash after AWSCURRENT moved, before AWSPENDING was removed
    await expect(step('finishSecret', token)).rejects.toThrow();
    expect(fake.stages(NAME)[token]).toEqual(['AWSCURRENT', 'AWSPENDING']);
    asked = [];
    lines = [];
    for (const s of ['createSecret', 'setSecret', 'testSecret'] as const) await step(s, token);
    expect(fake.stages(NAME)[token]).toEqual(['AWSCURRENT', 'AWSPENDING']);
    await step('finishSecret', token);
    expect(fake.stages(NAME)[token]).toEqual(['AWSCURRENT']);
    expect(asked).toEqual([]);
    expect(lines).toEqual(
      ['createSecret', 'setSecret', 'testSecret', 'finishSecret'].map((s) => ({
        level: 'info',
        message: 'version is already AWSCURRENT; nothing to do',
        secretId: NAME,
        versionId: token,
        step: s,
      })),
    );
  });
});
