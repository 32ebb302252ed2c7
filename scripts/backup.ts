/**
 * Back up now. `--to-dir` runs the job here against any Postgres, writing what a vault run writes as files under
 * <dir> (environment `local`), never replacing one. `--env --now` starts the very task the nightly schedule
 * (miko-<env>-backup) would, with ECS RunTask, and exits 0 only if its container exited 0. The SDK honours
 * AWS_ENDPOINT_URL_* itself, so tests use stand-ins. Prints ids, never a value.
 */
import { DescribeTasksCommand, ECSClient, RunTaskCommand } from '@aws-sdk/client-ecs';
import { GetScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { parseArgs } from 'node:util';
import { runBackup } from '../jobs/backups/backup';
import { targetFromUrl } from '../jobs/backups/database';
import { findPgBin } from '../jobs/backups/pg-tools';
import { storageClient } from '../jobs/backups/settings';
import { dirVault } from '../jobs/backups/store';
import { ENVIRONMENT_NAMES, EnvironmentName, REQUIRED_REGION } from '../lib/config/schema';
import { explainAwsErrorForArgv } from './lib/aws-access';
import { environmentFlag, Io, processIo, runCommand, runIfMain, UsageError } from './lib/command';

export const USAGE = `usage: npm run backup -- --to-dir <dir> --source <postgres url> [--storage-endpoint <url> --bucket <name>…] [--schema <name>…]
       npm run backup -- --env <staging|production> --now [--timeout-minutes 90]
environment: SUPABASE_S3_ACCESS_KEY_ID, SUPABASE_S3_SECRET_ACCESS_KEY (with --storage-endpoint), PG_BIN
Exit codes: 0 the backup finished (its manifest is written); 1 it failed (no manifest: not a backup); 2 usage error`;

export { UsageError };

const NOW_OPTIONS = {
  env: { type: 'string' as const },
  now: { type: 'boolean' as const },
  'timeout-minutes': { type: 'string' as const },
  'poll-seconds': { type: 'string' as const },
};

const LOCAL_OPTIONS = {
  'to-dir': { type: 'string' as const },
  source: { type: 'string' as const },
  'storage-endpoint': { type: 'string' as const },
  bucket: { type: 'string', multiple: true },
  schema: { type: 'string', multiple: true },
} as const;

/** Both forms' flags; each form then refuses the other's. */
const SPEC = { name: 'backup', usage: USAGE, options: { ...NOW_OPTIONS, ...LOCAL_OPTIONS } };

export interface BackupNowOptions {
  readonly env: EnvironmentName;
  readonly timeoutSeconds: number;
  readonly pollSeconds: number;
}

/** A backup of the app's database takes minutes; an hour and a half is far beyond a healthy one. */
export const DEFAULT_TIMEOUT_MINUTES = 90;

export function parseBackupArgs(argv: readonly string[]): BackupNowOptions {
  let flags;
  try {
    flags = parseArgs({ args: [...argv], options: NOW_OPTIONS, strict: true }).values;
  } catch (error) {
    throw new UsageError(
      `${(error as Error).message}. Fix: npm run backup -- --env ${ENVIRONMENT_NAMES.join('|')} --now`,
    );
  }
  const env = environmentFlag(flags.env);
  if (!flags.now)
    throw new UsageError(
      '--now is missing: this command starts a backup at once (the schedule runs the nightly one). Fix: add --now.',
    );
  const minutes = Number(flags['timeout-minutes'] ?? DEFAULT_TIMEOUT_MINUTES);
  if (!(minutes > 0))
    throw new UsageError(
      `--timeout-minutes must be a positive number. Fix: e.g. --timeout-minutes ${DEFAULT_TIMEOUT_MINUTES}.`,
    );
  return {
    env,
    timeoutSeconds: minutes * 60,
    pollSeconds: Number(flags['poll-seconds'] ?? 10),
  };
}

export interface BackupNowResult {
  readonly ok: boolean;
  readonly taskArn: string;
  readonly lastStatus: string;
  readonly exitCode?: number;
  readonly stoppedReason?: string;
  readonly seconds: number;
}

export async function backupNow(
  options: BackupNowOptions,
  clients = {
    scheduler: new SchedulerClient({ region: REQUIRED_REGION }),
    ecs: new ECSClient({ region: REQUIRED_REGION }),
  },
  log: (line: string) => void = console.log,
): Promise<BackupNowResult> {
  const scheduleName = `miko-${options.env}-backup`;
  const schedule = await clients.scheduler.send(new GetScheduleCommand({ Name: scheduleName }));
  const target = schedule.Target;
  const ecsParameters = target?.EcsParameters;
  if (!target?.Arn || !ecsParameters?.TaskDefinitionArn)
    throw new Error(
      `the schedule ${scheduleName} has no ECS task target. Fix: deploy the ${options.env} Backups stack (npx cdk deploy '${options.env === 'production' ? 'Production' : 'Staging'}/Backups').`,
    );
  const network = ecsParameters.NetworkConfiguration?.awsvpcConfiguration;
  const started = Date.now();
  const run = await clients.ecs.send(
    new RunTaskCommand({
      cluster: target.Arn,
      taskDefinition: ecsParameters.TaskDefinitionArn,
      launchType: 'FARGATE',
      platformVersion: ecsParameters.PlatformVersion,
      networkConfiguration: network
        ? {
            awsvpcConfiguration: {
              subnets: network.Subnets,
              securityGroups: network.SecurityGroups,
              assignPublicIp: network.AssignPublicIp,
            },
          }
        : undefined,
      startedBy: 'npm-run-backup',
      propagateTags: 'TASK_DEFINITION',
    }),
  );
  const failure = run.failures?.[0];
  const taskArn = run.tasks?.[0]?.taskArn;
  if (!taskArn)
    throw new Error(
      `ECS did not start the backup task: ${failure ? `${failure.reason}${failure.detail ? ` (${failure.detail})` : ''}` : 'no task and no failure returned'}.`,
    );
  log(`started ${taskArn} (${ecsParameters.TaskDefinitionArn.split('/').pop()})`);

  let lastStatus = '';
  for (;;) {
    const { tasks } = await clients.ecs.send(new DescribeTasksCommand({ cluster: target.Arn, tasks: [taskArn] }));
    const task = tasks?.[0];
    const seconds = (Date.now() - started) / 1000;
    if (task?.lastStatus && task.lastStatus !== lastStatus) {
      lastStatus = task.lastStatus;
      log(`${seconds.toFixed(0).padStart(5)} s  ${lastStatus}`);
    }
    if (task?.lastStatus === 'STOPPED') {
      const container = task.containers?.find((c) => c.name === 'backup') ?? task.containers?.[0];
      const exitCode = container?.exitCode;
      return {
        ok: exitCode === 0,
        taskArn,
        lastStatus,
        exitCode,
        stoppedReason: task.stoppedReason ?? container?.reason,
        seconds,
      };
    }
    if (seconds > options.timeoutSeconds)
      return {
        ok: false,
        taskArn,
        lastStatus,
        stoppedReason: `still ${lastStatus || 'unknown'} after ${options.timeoutSeconds} s (the task keeps running; follow it in the ECS console)`,
        seconds,
      };
    await new Promise((resolve) => setTimeout(resolve, options.pollSeconds * 1000));
  }
}

export interface LocalBackupOptions {
  readonly toDir: string;
  readonly source: string;
  readonly storageEndpoint?: string;
  readonly buckets: readonly string[];
  readonly schemas: readonly string[];
}

export function parseLocalBackupArgs(argv: string[]): LocalBackupOptions {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, strict: true, options: LOCAL_OPTIONS }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (!values['to-dir']) throw new UsageError('--to-dir is missing. Fix: --to-dir <an empty or backup directory>.');
  if (!values.source)
    throw new UsageError(
      '--source is missing. Fix: --source "postgresql://<user>:<password>@<host>:5432/postgres?sslrootcert=<CA file>".',
    );
  if (Boolean(values['storage-endpoint']) !== Boolean(values.bucket?.length))
    throw new UsageError(
      '--storage-endpoint and --bucket go together. Fix: --storage-endpoint https://<ref>.storage.supabase.co/storage/v1/s3 --bucket <name> (repeat --bucket for more).',
    );
  return {
    toDir: values['to-dir'],
    source: values.source,
    storageEndpoint: values['storage-endpoint'],
    buckets: values.bucket ?? [],
    schemas: ['public', ...(values.schema ?? [])],
  };
}

export async function backupToDir(options: LocalBackupOptions, print: (line: string) => void) {
  const storage = options.storageEndpoint
    ? { s3: storageClient(options.storageEndpoint), buckets: options.buckets }
    : undefined;
  try {
    const result = await runBackup(dirVault(options.toDir), {
      envName: 'local',
      source: targetFromUrl(options.source),
      schemas: options.schemas,
      pgBin: findPgBin(),
      storage,
    });
    print(
      `backup ${result.key} written under ${options.toDir}: ${result.manifest.tables.length} tables in ${result.manifest.schemas.join(', ')}, ${result.manifest.totalBytes} bytes of dump${result.manifest.storage ? `, ${result.manifest.storage.objects} storage objects (${result.manifest.storage.bytes} bytes)` : ''}, in ${result.seconds.toFixed(1)} s`,
    );
    return result;
  } finally {
    storage?.s3.destroy();
  }
}

export function main(argv: string[], io: Io = processIo): Promise<number> {
  return runCommand(SPEC, argv, io, (values) => {
    const local = values['to-dir'] !== undefined || values.source !== undefined;
    return local ? backupLocally(parseLocalBackupArgs(argv), argv, io) : backupInAws(parseBackupArgs(argv), argv, io);
  });
}

async function backupLocally(options: LocalBackupOptions, argv: string[], io: Io): Promise<number> {
  try {
    await backupToDir(options, io.out);
    return 0;
  } catch (error) {
    io.err(`backup FAILED: ${explainAwsErrorForArgv('npm run backup', argv, error).message}`);
    return 1;
  }
}

async function backupInAws(options: BackupNowOptions, argv: string[], io: Io): Promise<number> {
  try {
    const result = await backupNow(options, undefined, io.out);
    if (result.ok) {
      io.out(
        `backup finished in ${result.seconds.toFixed(0)} s; the newest manifest in the vault is this run's (backups/${options.env}/<run id>/manifest.json)`,
      );
      return 0;
    }
    io.err(
      `backup FAILED: ${result.stoppedReason ?? 'unknown reason'}${result.exitCode !== undefined ? ` (exit ${result.exitCode})` : ''}; see the task's log group (Backups stack, BackupTask/Logs) for the job's message`,
    );
    return 1;
  } catch (error) {
    io.err(`backup FAILED: ${explainAwsErrorForArgv('npm run backup', argv, error).message}`);
    return 1;
  }
}

runIfMain(module, main);
