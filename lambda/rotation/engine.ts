/**
 * The Secrets Manager rotation protocol (createSecret → setSecret → testSecret → finishSecret), once, for every
 * kind of credential. A `Rotator` says how one kind gets, pushes, proves and retires a value; the engine keeps the
 * protocol's invariants so no rotator can break them:
 *
 * - every step first checks the token: already AWSCURRENT → nothing to do; not AWSPENDING → refuse;
 * - createSecret reuses the pending value if one was stored, so a re-run never makes a second value;
 * - every call names the version id and the stage it expects;
 * - only finishSecret moves AWSCURRENT, and only after proving the pending value works (it re-runs the test,
 *   so even an out-of-order call cannot promote an untested value);
 * - every step can run again, or after a crash anywhere, and still end right;
 * - values never reach a log line: only ids, steps and error names do;
 * - a finished rotation is reported (`onFinished`, the audit record) only after AWSCURRENT moved: never instead.
 */
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import type { Logger } from '../shared/log';
import { SecretValue, parseSecretValue, serializeSecretValue } from '../shared/secret-value';

export const AWSCURRENT = 'AWSCURRENT';
export const AWSPENDING = 'AWSPENDING';
export const AWSPREVIOUS = 'AWSPREVIOUS';

export const ROTATION_STEPS = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const;
export type RotationStep = (typeof ROTATION_STEPS)[number];

/** What Secrets Manager sends the rotation function. */
export interface RotationEvent {
  readonly Step: RotationStep;
  readonly SecretId: string;
  readonly ClientRequestToken: string;
}

/** How one kind of credential is rotated. Every method must be safe to call again with the same arguments. */
export interface Rotator {
  /**
   * Makes the value for version `token`. A re-run (after a crash between making it and storing it) must find what
   * the earlier run made rather than make a second one: provider keys are named after the token.
   */
  create(input: { readonly current: SecretValue; readonly token: string }): Promise<SecretValue>;
  /** Makes the pending value usable where it is consumed (pushes it), without retiring the current one. */
  set(input: { readonly current: SecretValue; readonly pending: SecretValue }): Promise<void>;
  /** Throws unless the provider accepts `pending`. */
  test(pending: SecretValue): Promise<void>;
  /**
   * Called just before `pending` becomes AWSCURRENT: retire the version about to fall off the end (AWSPREVIOUS now)
   * and what the rotator made that no version keeps. Never touches `keep`, so AWSPREVIOUS works during the switch.
   */
  retire(input: { readonly keep: readonly SecretValue[]; readonly retiring?: SecretValue }): Promise<void>;
}

export class RotationProtocolError extends Error {
  override readonly name = 'RotationProtocolError';
}

/** What finishSecret changed: ids only, never a value. */
export interface FinishedRotation {
  readonly secretId: string;
  readonly previousVersionId: string;
  readonly versionId: string;
}

export interface EngineDeps {
  readonly sm: SecretsManagerClient;
  readonly rotator: Rotator;
  readonly log: Logger;
  /** Told once AWSCURRENT has moved (the handler writes the audit record); the move stands whatever it does. */
  readonly onFinished?: (rotation: FinishedRotation) => Promise<void>;
}

type VersionStages = Record<string, string[]>;

async function describeVersions(
  sm: SecretsManagerClient,
  secretId: string,
): Promise<{ rotationEnabled: boolean; versions: VersionStages }> {
  const described = await sm.send(new DescribeSecretCommand({ SecretId: secretId }));
  return { rotationEnabled: described.RotationEnabled === true, versions: described.VersionIdsToStages ?? {} };
}

function versionWithStage(versions: VersionStages, stage: string): string | undefined {
  return Object.entries(versions).find(([, stages]) => stages.includes(stage))?.[0];
}

/** The value of one version, named by id AND stage, so a label that moved meanwhile is noticed; undefined if none. */
async function readVersion(
  sm: SecretsManagerClient,
  secretId: string,
  versionId: string,
  stage: string,
): Promise<SecretValue | undefined> {
  try {
    const got = await sm.send(
      new GetSecretValueCommand({ SecretId: secretId, VersionId: versionId, VersionStage: stage }),
    );
    return parseSecretValue(got.SecretString, `version ${versionId} (${stage})`);
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

async function requireVersion(
  sm: SecretsManagerClient,
  secretId: string,
  versionId: string,
  stage: string,
): Promise<SecretValue> {
  const value = await readVersion(sm, secretId, versionId, stage);
  if (!value)
    throw new RotationProtocolError(
      `version ${versionId} has no ${stage} value. Fix: restart the rotation (npm run rotate).`,
    );
  return value;
}

/** Runs one step of the protocol for `event`. Resolves when the step is done (or had nothing to do). */
export async function runRotationStep(event: RotationEvent, deps: EngineDeps): Promise<void> {
  const { sm, rotator, log, onFinished } = deps;
  const { SecretId: secretId, ClientRequestToken: token, Step: step } = event;
  if (!ROTATION_STEPS.includes(step)) throw new RotationProtocolError(`unknown step "${String(step)}"`);
  const fields = { secretId, versionId: token, step };

  const { rotationEnabled, versions } = await describeVersions(sm, secretId);
  if (!rotationEnabled)
    throw new RotationProtocolError('rotation is not enabled on this secret. Fix: deploy its rotation schedule.');
  const stages = versions[token];
  if (!stages)
    throw new RotationProtocolError(`version ${token} has no stage for rotation. Fix: start a new rotation.`);
  const currentId = versionWithStage(versions, AWSCURRENT);
  if (!currentId)
    throw new RotationProtocolError(
      'the secret has no AWSCURRENT version. Fix: set its first value (README "Credentials").',
    );
  if (stages.includes(AWSCURRENT)) {
    // Finished already (a retry after finishSecret succeeded); tidy a pending label that a crash may have left.
    if (step === 'finishSecret' && stages.includes(AWSPENDING)) {
      await sm.send(
        new UpdateSecretVersionStageCommand({
          SecretId: secretId,
          VersionStage: AWSPENDING,
          RemoveFromVersionId: token,
        }),
      );
    }
    log.info('version is already AWSCURRENT; nothing to do', fields);
    return;
  }
  if (!stages.includes(AWSPENDING))
    throw new RotationProtocolError(`version ${token} is not AWSPENDING. Fix: start a new rotation.`);

  const current = await requireVersion(sm, secretId, currentId, AWSCURRENT);
  switch (step) {
    case 'createSecret': {
      if (await readVersion(sm, secretId, token, AWSPENDING)) {
        log.info('pending value exists; reusing it', fields);
        return;
      }
      const pending = await rotator.create({ current, token });
      await sm.send(
        new PutSecretValueCommand({
          SecretId: secretId,
          ClientRequestToken: token,
          SecretString: serializeSecretValue(pending),
          VersionStages: [AWSPENDING],
        }),
      );
      log.info('stored the pending value', fields);
      return;
    }
    case 'setSecret': {
      await rotator.set({ current, pending: await requireVersion(sm, secretId, token, AWSPENDING) });
      log.info('pending value set at its consumer', fields);
      return;
    }
    case 'testSecret': {
      await rotator.test(await requireVersion(sm, secretId, token, AWSPENDING));
      log.info('pending value works', fields);
      return;
    }
    case 'finishSecret': {
      const pending = await requireVersion(sm, secretId, token, AWSPENDING);
      await rotator.test(pending);
      const previousId = versionWithStage(versions, AWSPREVIOUS);
      const retiring =
        previousId && previousId !== token ? await readVersion(sm, secretId, previousId, AWSPREVIOUS) : undefined;
      await rotator.retire({ keep: [current, pending], retiring });
      await sm.send(
        new UpdateSecretVersionStageCommand({
          SecretId: secretId,
          VersionStage: AWSCURRENT,
          MoveToVersionId: token,
          RemoveFromVersionId: currentId,
        }),
      );
      await sm.send(
        new UpdateSecretVersionStageCommand({
          SecretId: secretId,
          VersionStage: AWSPENDING,
          RemoveFromVersionId: token,
        }),
      );
      log.info('pending value is now AWSCURRENT', { ...fields, previousVersionId: currentId });
      await onFinished?.({ secretId, previousVersionId: currentId, versionId: token });
      return;
    }
  }
}
