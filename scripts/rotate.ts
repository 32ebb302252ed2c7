/**
 * Rotate now: RotateSecret, then follows the new version until it is AWSCURRENT (done), loses AWSPENDING
 * (abandoned) or the timeout passes (failed: see the rotation function's logs). `--incident`: scripts/rotate/incident.ts.
 * Each finished rotation is audited (version id, never a value). The SDK honours AWS_ENDPOINT_URL_* itself.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs as parseFlags } from 'node:util';
import {
  DescribeSecretCommand,
  RotateSecretCommand,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { EnvironmentName, REQUIRED_REGION } from '../lib/config/schema';
import { committedConfig } from '../lib/config';
import { SECRET_CREDENTIALS, SecretCredentialId, secretName } from '../lib/secrets/inventory';
import { explainAwsError, isMissingCredentials } from './lib/aws-access';
import { NOT_RECORDED_EXIT, recordOperatorChange } from './lib/audit-record';
import { actor } from './lib/release-aws';
import { environmentFlag, FlagValues, Io, processIo, runCommand, runIfMain, UsageError } from './lib/command';
import {
  DEFAULT_PROOF_TIMEOUT_SECONDS,
  IncidentRow,
  incidentPlan,
  manualInstructions,
  runIncident,
} from './rotate/incident';
import { proversFor, UNPROVABLE } from './rotate/leak-proof';

/** A rotation calls a provider a few times per step; five minutes is far beyond a healthy one. */
export const DEFAULT_TIMEOUT_SECONDS = 300;
/** How often the version stages are read while waiting. */
export const DEFAULT_POLL_SECONDS = 3;

export interface RotateOptions {
  readonly env: EnvironmentName;
  readonly ids: readonly SecretCredentialId[];
  /** Take AWSPENDING off a failed rotation's version first, so a new rotation can start (after fixing the cause). */
  readonly restartStuck: boolean;
  readonly timeoutSeconds: number;
  readonly pollSeconds: number;
  /** Rotate twice, prove the leaked values refused, print the manual secrets' steps (scripts/rotate/incident.ts). */
  readonly incident: boolean;
  readonly proofTimeoutSeconds: number;
  /** The audit record's why. */
  readonly reason: string;
}

export interface RotationResult {
  readonly id: string;
  readonly name: string;
  readonly ok: boolean;
  readonly outcome: string;
  readonly versionId?: string;
  readonly seconds: number;
}

export { UsageError };

export const DEFAULT_REASON = 'rotated on request (no --reason given)';
export const INCIDENT_REASON = 'incident: leaked credential';

const ROTATED = SECRET_CREDENTIALS.filter((c) => c.rotation !== 'manual');

export const USAGE = `usage: npm run rotate -- --env <staging|production> (--secret <id>… | --all | --incident [--secret <id>…]) [--restart-stuck] [--timeout-seconds ${DEFAULT_TIMEOUT_SECONDS}] [--proof-timeout-seconds ${DEFAULT_PROOF_TIMEOUT_SECONDS}] [--reason <why>]
  --incident   after a leak: rotate each secret twice (the second rotation revokes the leaked value), prove the
               leaked values are refused, and print what a person must do for the manual secrets
  --reason     why, for the audit trail (default "${DEFAULT_REASON}"; with --incident "${INCIDENT_REASON}")
Exit codes: 0 done (with --incident: every leaked value refused or named as not checkable); 1 a rotation or
proof failed; 2 usage; 4 rotated but the audit record could not be written (NOT RECORDED)`;

const SPEC = {
  name: 'rotate',
  usage: USAGE,
  options: {
    env: { type: 'string' as const },
    secret: { type: 'string' as const, multiple: true },
    all: { type: 'boolean' as const, default: false },
    incident: { type: 'boolean' as const, default: false },
    'restart-stuck': { type: 'boolean' as const, default: false },
    'timeout-seconds': { type: 'string' as const },
    'poll-seconds': { type: 'string' as const },
    'proof-timeout-seconds': { type: 'string' as const },
    reason: { type: 'string' as const },
  },
};

/** argv → options, as main reads them (tests check the rules without rotating). */
export function parseArgs(argv: readonly string[]): RotateOptions {
  let values;
  try {
    values = parseFlags({ args: [...argv], options: SPEC.options }).values;
  } catch (error) {
    throw new UsageError(`${(error as Error).message}. Fix: see the usage below.`);
  }
  return rotateOptions(values);
}

function rotateOptions(flags: FlagValues): RotateOptions {
  const values = flags as {
    env?: string;
    secret?: string[];
    all: boolean;
    incident: boolean;
    reason?: string;
  } & FlagValues;
  const env = environmentFlag(values.env);
  const secrets = values.secret ?? [];
  const incident = values.incident ?? false;
  if (incident && values.all) throw new UsageError('--incident already covers every secret. Fix: drop --all.');
  if (!incident && secrets.length > 0 === values.all)
    throw new UsageError('give exactly one of --secret <id> or --all. Fix: e.g. --secret supabase-secret-key.');
  for (const secret of secrets) {
    const credential = SECRET_CREDENTIALS.find((c) => c.id === secret);
    if (!credential)
      throw new UsageError(
        `"${secret}" is not a known secret. Fix: use one of ${SECRET_CREDENTIALS.map((c) => c.id).join(', ')}.`,
      );
    if (credential.rotation === 'manual' && !incident) {
      throw new UsageError(
        `"${secret}" is rotated by a person, not by a function. Fix: add --incident to print its steps, or follow README "Credentials" to set its new value with put-secret-value.`,
      );
    }
  }
  if (values.reason !== undefined && !values.reason.trim())
    throw new UsageError('--reason is empty. Fix: say why, e.g. --reason "quarterly rotation".');
  const ids = (values.all ? ROTATED.map((c) => c.id) : secrets) as SecretCredentialId[];
  const seconds = (flag: string, fallback: number) => {
    const raw = (values as Record<string, unknown>)[flag] as string | undefined;
    const parsed = raw === undefined ? fallback : Number(raw);
    if (!Number.isFinite(parsed) || parsed <= 0)
      throw new UsageError(`--${flag} "${raw}" is not a positive number of seconds. Fix: e.g. --${flag} ${fallback}.`);
    return parsed;
  };
  return {
    env,
    ids,
    incident,
    restartStuck: values['restart-stuck'] === true,
    timeoutSeconds: seconds('timeout-seconds', DEFAULT_TIMEOUT_SECONDS),
    // A rehearsal's scaled clock (MIKO_TIME_SCALE, npm run gameday) polls as much more often.
    pollSeconds: seconds('poll-seconds', DEFAULT_POLL_SECONDS / Math.max(1, Number(process.env.MIKO_TIME_SCALE) || 1)),
    proofTimeoutSeconds: seconds('proof-timeout-seconds', DEFAULT_PROOF_TIMEOUT_SECONDS),
    reason: values.reason ?? (incident ? INCIDENT_REASON : DEFAULT_REASON),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A failed rotation leaves its version AWSPENDING, and Secrets Manager will not start another until it is gone. */
async function dropStuckPending(sm: SecretsManagerClient, name: string): Promise<void> {
  const stages = (await sm.send(new DescribeSecretCommand({ SecretId: name }))).VersionIdsToStages ?? {};
  const stuck = Object.entries(stages).find(
    ([, labels]) => labels.includes('AWSPENDING') && !labels.includes('AWSCURRENT'),
  )?.[0];
  if (stuck)
    await sm.send(
      new UpdateSecretVersionStageCommand({ SecretId: name, VersionStage: 'AWSPENDING', RemoveFromVersionId: stuck }),
    );
}

async function rotateOne(
  sm: SecretsManagerClient,
  options: RotateOptions,
  id: SecretCredentialId,
): Promise<RotationResult> {
  const name = secretName(options.env, id);
  const started = Date.now();
  const result = (ok: boolean, outcome: string, versionId?: string): RotationResult => ({
    id,
    name,
    ok,
    outcome,
    versionId,
    seconds: Math.round((Date.now() - started) / 100) / 10,
  });
  let versionId: string;
  try {
    if (options.restartStuck) await dropStuckPending(sm, name);
    const rotated = await sm.send(new RotateSecretCommand({ SecretId: name, ClientRequestToken: randomUUID() }));
    versionId = rotated.VersionId!;
  } catch (error) {
    // No credentials: no secret can rotate; say so once, with the fix (main), instead of once per row.
    if (isMissingCredentials(error)) throw error;
    const hint = /previous rotation isn't complete/i.test((error as Error).message)
      ? ' (fix the cause, then run again with --restart-stuck)'
      : '';
    return result(false, `could not start: ${(error as Error).name}: ${(error as Error).message}${hint}`);
  }
  const deadline = started + options.timeoutSeconds * 1000;
  while (Date.now() < deadline) {
    await sleep(Math.min(options.pollSeconds * 1000, Math.max(0, deadline - Date.now())));
    let stages: string[] | undefined;
    try {
      stages = (await sm.send(new DescribeSecretCommand({ SecretId: name }))).VersionIdsToStages?.[versionId];
    } catch (error) {
      return result(false, `could not read its stages: ${(error as Error).name}`, versionId);
    }
    if (stages?.includes('AWSCURRENT')) return result(true, 'rotated', versionId);
    if (!stages?.includes('AWSPENDING')) return result(false, 'abandoned (another rotation took over)', versionId);
  }
  return result(
    false,
    `still AWSPENDING after ${options.timeoutSeconds}s: see the rotation function's logs`,
    versionId,
  );
}

type RotateOnce = (id: SecretCredentialId) => Promise<RotationResult>;

export async function rotate(
  sm: SecretsManagerClient,
  options: RotateOptions,
  rotateOnce: RotateOnce = (id) => rotateOne(sm, options, id),
): Promise<RotationResult[]> {
  return Promise.all(options.ids.map(rotateOnce));
}

/** Rotates, then appends each finished rotation to the audit trail; `recordedAll` turns false on a failed append. */
function auditedRotation(sm: SecretsManagerClient, options: RotateOptions, io: Io) {
  const state = { recordedAll: true };
  const rotateOnce: RotateOnce = async (id) => {
    const result = await rotateOne(sm, options, id);
    if (result.ok) {
      const recorded = await recordOperatorChange(
        {
          env: options.env,
          action: 'secret-rotation',
          who: actor(),
          before: { secret: result.name },
          after: { secret: result.name, AWSCURRENT: result.versionId },
          why: options.reason,
        },
        io.err,
      );
      state.recordedAll &&= recorded;
    }
    return result;
  };
  return { rotateOnce, state };
}

export function formatTable(results: readonly RotationResult[]): string {
  return formatColumns([
    ['secret', 'result', 'new version', 'seconds'],
    ...results.map((r) => [r.name, r.outcome, r.versionId ?? '-', String(r.seconds)]),
  ]);
}

function formatColumns(rows: readonly string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const line = (row: readonly string[]) =>
    row
      .map((cell, column) => cell.padEnd(widths[column]))
      .join('  ')
      .trimEnd();
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

export function formatIncidentTable(rows: readonly IncidentRow[]): string {
  return formatColumns([
    ['secret', 'rotation', 'new value', 'leaked value', 'seconds'],
    ...rows.map((r) => [r.name, r.rotation, r.newValue, r.leakedValue, String(r.seconds)]),
  ]);
}

async function incident(
  sm: SecretsManagerClient,
  options: RotateOptions,
  io: Io,
  rotateOnce: RotateOnce,
): Promise<number> {
  const { rotated, manual } = incidentPlan(options.ids);
  io.out(
    `rotate --incident ${options.env}: ${rotated.length} secret(s) rotated twice each, in this order (the second rotation revokes the leaked value): ${rotated.join(', ')}`,
  );
  const rows = await runIncident(
    {
      sm,
      env: options.env,
      rotateOnce,
      provers: proversFor(options.env),
      unprovable: UNPROVABLE,
      proofTimeoutSeconds: options.proofTimeoutSeconds,
      pollSeconds: options.pollSeconds,
      progress: (line) => io.out(`  ${line}`),
    },
    rotated,
  );
  io.out(formatIncidentTable(rows));
  for (const line of manualInstructions(options.env, manual)) io.out(line);
  const failed = rows.filter((r) => !r.ok);
  if (failed.length > 0) {
    io.err(
      `rotate --incident: ${failed.length} of ${rows.length} secret(s) not done: ${failed.map((r) => r.name).join(', ')}. Fix the cause (the rotation function's log), then run the same command again with --restart-stuck.`,
    );
    return 1;
  }
  const unchecked = rows.filter((r) => r.leakedValue !== 'refused').length;
  io.out(
    `rotate --incident ${options.env}: leaked values refused (${rows.length - unchecked} proven, ${unchecked} not checkable here, named above)${manual.length ? `; ${manual.length} manual secret(s) above need a person` : ''}`,
  );
  return 0;
}

/** The command: parses argv, rotates, prints the table, and returns the exit code the process ends with. */
export function main(argv: string[], io: Io = processIo): Promise<number> {
  return runCommand(SPEC, argv, io, async (values) => {
    const options = rotateOptions(values);
    try {
      return await rotateAndReport(options, io);
    } catch (error) {
      io.err(`rotate: ${(error as Error).name}: ${(error as Error).message}`);
      return 1;
    }
  });
}

async function rotateAndReport(options: RotateOptions, io: Io): Promise<number> {
  const sm = new SecretsManagerClient({ region: process.env.AWS_REGION ?? REQUIRED_REGION });
  const explained = (error: unknown) =>
    explainAwsError('npm run rotate', committedConfig[options.env].account, options.env, error);
  const { rotateOnce, state } = auditedRotation(sm, options, io);
  const unrecordedIsWorse = (code: number) => (code === 0 && !state.recordedAll ? NOT_RECORDED_EXIT : code);
  try {
    if (options.incident)
      return unrecordedIsWorse(
        await incident(sm, options, io, rotateOnce).catch((error) => {
          throw explained(error);
        }),
      );
    const results = await rotate(sm, options, rotateOnce).catch((error) => {
      throw explained(error);
    });
    io.out(formatTable(results));
    const failed = results.filter((r) => !r.ok).length;
    if (failed > 0)
      io.err(`rotate: ${failed} of ${results.length} rotation(s) did not finish; AWSCURRENT is unchanged for those.`);
    return unrecordedIsWorse(failed > 0 ? 1 : 0);
  } finally {
    sm.destroy();
  }
}

runIfMain(module, main);
