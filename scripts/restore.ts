/**
 * The disaster-recovery path: `npm run restore -- --env production [--backup <manifest key>] --to <postgres url>
 * [--with-roles] [--bucket <name>]`.
 *
 * Downloads the chosen backup (the newest when --backup is absent), verifies every object's size and SHA-256
 * against its manifest, replays roles (with --with-roles, for a server that lacks Supabase's roles), restores the
 * schema and then the data in one transaction, and proves every table's row count and checksum. Exits 0 only when
 * every check passed. The target URL takes ?sslrootcert=<CA file> for verify-full; only a loopback target may go
 * without TLS. The password in the URL is never printed.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { targetFromUrl } from '../jobs/backups/database';
import { findPgBin } from '../jobs/backups/pg-tools';
import { RestoreReport, restoreBackup } from '../jobs/backups/restore';
import { vaultBucketName } from '../lib/backups/vault-bucket';
import { ENVIRONMENT_NAMES, EnvironmentName, loadAppConfig } from '../lib/config';
import { REQUIRED_REGION } from '../lib/config/schema';
import { parseFlags } from './lib/flags';
import { explainAwsErrorForArgv } from './lib/aws-access';

export class UsageError extends Error {}

export interface RestoreCommandOptions {
  readonly env: EnvironmentName;
  readonly bucket: string;
  readonly backup?: string;
  readonly to: string;
  readonly withRoles: boolean;
}

export function parseRestoreArgs(
  argv: readonly string[],
  bucketFor: (env: EnvironmentName) => string,
): RestoreCommandOptions {
  let flags: Record<string, string | boolean>;
  try {
    flags = parseFlags(argv, { env: 'value', backup: 'value', to: 'value', 'with-roles': 'switch', bucket: 'value' });
  } catch (error) {
    throw new UsageError(
      `${(error as Error).message}. Fix: npm run restore -- --env <env> [--backup <key>] --to postgresql://…`,
    );
  }
  const env = flags.env as string | undefined;
  if (!env || !(ENVIRONMENT_NAMES as readonly string[]).includes(env))
    throw new UsageError(
      `--env is ${env ? `"${env}"` : 'missing'}. Fix: pass --env ${ENVIRONMENT_NAMES.join(' or --env ')}.`,
    );
  if (!flags.to)
    throw new UsageError(
      '--to is missing. Fix: --to "postgresql://postgres:<password>@<host>:5432/postgres?sslrootcert=/path/to/ca.crt" (an empty database you mean to fill).',
    );
  const backup = flags.backup as string | undefined;
  if (backup && !backup.startsWith(`backups/${env}/`))
    throw new UsageError(
      `--backup ${backup} is not a backup of ${env}. Fix: pass a manifest key like backups/${env}/<run id>/manifest.json.`,
    );
  return {
    env: env as EnvironmentName,
    bucket: (flags.bucket as string | undefined) ?? bucketFor(env as EnvironmentName),
    backup,
    to: flags.to as string,
    withRoles: Boolean(flags['with-roles']),
  };
}

export async function restoreCommand(
  options: RestoreCommandOptions,
  s3: S3Client,
  log: (line: string) => void = console.log,
): Promise<RestoreReport> {
  const target = targetFromUrl(options.to);
  log(
    `restoring into ${target.host}:${target.port}/${target.database} as ${target.user}${target.caFile ? ' (TLS verify-full)' : ' (loopback, no TLS)'}`,
  );
  return restoreBackup(s3, {
    bucket: options.bucket,
    envName: options.env,
    manifestKey: options.backup,
    target,
    pgBin: findPgBin(),
    withRoles: options.withRoles,
    log,
  });
}

async function main(): Promise<void> {
  let options: RestoreCommandOptions;
  try {
    const config = loadAppConfig();
    options = parseRestoreArgs(process.argv.slice(2), (env) => vaultBucketName(env, config[env].account));
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = 2;
    return;
  }
  const report = await restoreCommand(options, new S3Client({ region: REQUIRED_REGION }));
  const gb = report.bytes / 1024 ** 3;
  console.log(
    `restored ${report.key}: ${report.tables.length} tables, every row count and checksum matches, in ${report.seconds.toFixed(1)} s (${(report.seconds / Math.max(gb, 1e-9)).toFixed(0)} s per GB of dump)`,
  );
  if (report.schemaErrors.length > 0)
    console.log(
      `the schema restore ignored ${report.schemaErrors.length} errors (objects the target cannot hold, e.g. Supabase-only extensions): ${report.schemaErrors.join(' | ')}`,
    );
}

if (require.main === module)
  main().catch((error) => {
    console.error(`restore FAILED: ${explainAwsErrorForArgv('npm run restore', process.argv, error).message}`);
    process.exitCode = 1;
  });
