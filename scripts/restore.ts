/**
 * Disaster recovery and its drill. Checks every object's SHA-256 before touching the target, refuses a target with
 * rows, never replaces a photo. `--verify-only` writes nothing (without --to:
 * a throwaway local server, the weekly drill). Secrets come from the environment, never flags. The target URL
 * takes ?sslrootcert=<CA file> (verify-full); only loopback may go without.
 */
import { parseArgs } from 'node:util';
import { S3Client } from '@aws-sdk/client-s3';
import { targetFromUrl } from '../jobs/backups/database';
import { drillOnce } from '../jobs/backups/drill';
import type { KnownPatient } from '../jobs/backups/patient-checks';
import { findPgBin } from '../jobs/backups/pg-tools';
import { RestoreReport, restoreBackup, verifyRestored } from '../jobs/backups/restore';
import { storageClient } from '../jobs/backups/settings';
import { Vault, dirVault, s3Vault } from '../jobs/backups/store';
import { vaultBucketName } from '../lib/backups/vault-bucket';
import { EnvironmentName, loadAppConfig } from '../lib/config';
import { REQUIRED_REGION } from '../lib/config/schema';
import { explainAwsErrorForArgv } from './lib/aws-access';
import { NOT_RECORDED_EXIT, recordOperatorChange } from './lib/audit-record';
import { Io, optionalEnvironmentFlag, processIo, runCommand, runIfMain, UsageError } from './lib/command';
import { actor } from './lib/release-aws';

export const DEFAULT_REASON = 'restore from backup (no --reason given)';

export const USAGE = `usage: npm run restore -- --from-dir <dir> --to <postgres url> [--storage-endpoint <url>] [--backup <manifest key>]
       npm run restore -- --from-dir <dir> --verify-only [--to <postgres url>]
       npm run restore -- --env <staging|production> --to <postgres url> [--storage-endpoint <url>] [--backup <key>] [--bucket <name>]
       npm run restore -- --env <staging|production> --verify-only [--to <postgres url>]
options:
  --known-patient <email>   also prove this test patient's password (MIKO_KNOWN_PATIENT_PASSWORD) verifies
  --reason <why>            for the audit trail (default "${DEFAULT_REASON}"); a restore with --env is
                            recorded there; --verify-only and --from-dir runs are not (they change no environment)
environment: SUPABASE_S3_ACCESS_KEY_ID, SUPABASE_S3_SECRET_ACCESS_KEY (with --storage-endpoint), PG_BIN
Exit codes: 0 restored (or verified) and every check passed; 1 a check or the restore failed; 2 usage error;
4 restored but the audit record could not be written (NOT RECORDED)`;

export const EXIT = { ok: 0, failed: 1, usage: 2, notRecorded: NOT_RECORDED_EXIT } as const;

export interface RestoreCommandOptions {
  readonly source:
    | { readonly kind: 'dir'; readonly dir: string }
    | { readonly kind: 'env'; readonly env: EnvironmentName; readonly bucket?: string };
  readonly to?: string;
  readonly verifyOnly: boolean;
  readonly backup?: string;
  readonly storageEndpoint?: string;
  readonly knownPatient?: KnownPatient;
  /** The audit record's why (restores with --env). */
  readonly reason: string;
}

const SPEC = {
  name: 'restore',
  usage: USAGE,
  options: {
    'from-dir': { type: 'string' },
    env: { type: 'string' },
    to: { type: 'string' },
    'verify-only': { type: 'boolean', default: false },
    backup: { type: 'string' },
    bucket: { type: 'string' },
    'storage-endpoint': { type: 'string' },
    'known-patient': { type: 'string' },
    reason: { type: 'string' },
  },
} as const;

export function parseRestoreArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): RestoreCommandOptions {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, strict: true, options: SPEC.options }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (Boolean(values['from-dir']) === Boolean(values.env))
    throw new UsageError('give exactly one of --from-dir <dir> (a local copy) and --env <env> (the vault).');
  const envName = optionalEnvironmentFlag(values.env);
  if (!values.to && !values['verify-only'])
    throw new UsageError(
      '--to is missing. Fix: --to "postgresql://postgres:<password>@<host>:5432/postgres?sslrootcert=<CA file>" (an empty database you mean to fill), or --verify-only.',
    );
  if (values['verify-only'] && values['storage-endpoint'])
    throw new UsageError('--verify-only writes nothing, so it takes no --storage-endpoint. Fix: drop one of them.');
  if (values.backup && envName && !values.backup.startsWith(`backups/${envName}/`))
    throw new UsageError(
      `--backup ${values.backup} is not a backup of ${envName}. Fix: pass a manifest key like backups/${envName}/<run id>/manifest.json.`,
    );
  if (values.reason !== undefined && !values.reason.trim())
    throw new UsageError('--reason is empty. Fix: say why, e.g. --reason "database lost in region outage".');
  const password = env.MIKO_KNOWN_PATIENT_PASSWORD;
  if (values['known-patient'] && !password)
    throw new UsageError(
      '--known-patient needs the password in MIKO_KNOWN_PATIENT_PASSWORD (never on the command line).',
    );
  return {
    source: envName
      ? { kind: 'env', env: envName, bucket: values.bucket }
      : { kind: 'dir', dir: values['from-dir'] as string },
    to: values.to,
    verifyOnly: values['verify-only'] ?? false,
    backup: values.backup,
    storageEndpoint: values['storage-endpoint'],
    knownPatient: values['known-patient'] ? { email: values['known-patient'], password: password! } : undefined,
    reason: values.reason ?? DEFAULT_REASON,
  };
}

function openVault(options: RestoreCommandOptions): { vault: Vault; close(): void } {
  if (options.source.kind === 'dir') return { vault: dirVault(options.source.dir), close: () => undefined };
  const { env, bucket } = options.source;
  const s3 = new S3Client({ region: REQUIRED_REGION });
  return {
    vault: s3Vault(s3, bucket ?? vaultBucketName(env, loadAppConfig()[env].account)),
    close: () => s3.destroy(),
  };
}

/** Appends a restore into an environment's target to its audit trail: the backup and where (never the URL's password). */
export function recordRestore(
  options: RestoreCommandOptions,
  report: RestoreReport,
  printError: (line: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): Promise<boolean> {
  if (options.source.kind !== 'env' || options.verifyOnly) return Promise.resolve(true);
  const target = targetFromUrl(options.to!);
  return recordOperatorChange(
    {
      env: options.source.env,
      action: 'restore',
      who: actor(env),
      before: { database: `${target.host}:${target.port}/${target.database}` },
      after: {
        database: `${target.host}:${target.port}/${target.database}`,
        restored: report.key,
        ...(report.storage && { storageObjects: report.storage.objects }),
      },
      why: options.reason,
    },
    printError,
    env,
  );
}

/** Runs the restore or the verification and returns the report; throws with every failed check named. */
export async function restoreCommand(
  options: RestoreCommandOptions,
  vault: Vault,
  print: (line: string) => void,
): Promise<RestoreReport> {
  const pgBin = findPgBin();
  const envName = options.source.kind === 'env' ? options.source.env : undefined;
  if (options.verifyOnly && !options.to) {
    print(`verifying the newest backup in ${vault.name} in a throwaway local server (nothing else is written)`);
    const outcome = await drillOnce(
      vault,
      { envName, manifestKey: options.backup, pgBin, knownPatient: options.knownPatient },
      print,
    );
    if (!outcome.ok) throw Object.assign(new Error(outcome.message), { check: outcome.check });
    return outcome.report;
  }
  const target = targetFromUrl(options.to!);
  const where = `${target.host}:${target.port}/${target.database} as ${target.user}${target.caFile ? ' (TLS verify-full)' : ' (loopback, no TLS)'}`;
  const common = {
    envName,
    manifestKey: options.backup,
    target,
    pgBin,
    withRoles: true,
    knownPatient: options.knownPatient,
    log: print,
  };
  if (options.verifyOnly) {
    print(`checking ${where} against the newest backup in ${vault.name} (nothing is written)`);
    return verifyRestored(vault, common);
  }
  print(`restoring into ${where}`);
  const storageTarget = options.storageEndpoint ? storageClient(options.storageEndpoint) : undefined;
  try {
    return await restoreBackup(vault, { ...common, storageTarget });
  } finally {
    storageTarget?.destroy();
  }
}

export function main(argv: string[], io: Io = processIo): Promise<number> {
  return runCommand(SPEC, argv, io, () => restore(parseRestoreArgs(argv), argv, io));
}

async function restore(options: RestoreCommandOptions, argv: string[], io: Io): Promise<number> {
  const { vault, close } = openVault(options);
  try {
    const report = await restoreCommand(options, vault, io.out);
    const gb = report.bytes / 1024 ** 3;
    io.out(
      `${options.verifyOnly ? 'verified' : 'restored'} ${report.key}: ${report.checks.length} checks passed (${report.checks.map((c) => c.check).join(', ')}), ${report.tables.length} tables${report.storage ? `, ${report.storage.objects} storage objects` : ''}, in ${report.seconds.toFixed(1)} s (${(report.seconds / Math.max(gb, 1e-9)).toFixed(0)} s per GB of dump)`,
    );
    if (report.schemaErrors.length > 0)
      io.out(
        `the schema restore ignored ${report.schemaErrors.length} errors (objects the target cannot hold, e.g. Supabase-only extensions): ${report.schemaErrors.join(' | ')}`,
      );
    return (await recordRestore(options, report, io.err)) ? EXIT.ok : EXIT.notRecorded;
  } catch (error) {
    const check = (error as { check?: string }).check ?? 'restore';
    io.err(
      `restore FAILED (${check}): ${explainAwsErrorForArgv('npm run restore', argv, error).message}${options.verifyOnly ? '' : '\nThe target is NOT a verified copy: do not point the app at it. The backup itself is untouched.'}`,
    );
    return EXIT.failed;
  } finally {
    close();
  }
}

runIfMain(module, main);
