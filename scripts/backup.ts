/**
 * Back up now: `npm run backup -- --env production --now [--timeout-minutes 90]`.
 *
 * Reads the nightly schedule (miko-<env>-backup) and starts exactly the task it would start (same cluster, task
 * definition, subnets, security group, public IP choice) with ECS RunTask, then follows it with DescribeTasks
 * until it stops, and exits 0 only if the job's container exited 0. The SDK's endpoint overrides
 * (AWS_ENDPOINT_URL_SCHEDULER, AWS_ENDPOINT_URL_ECS) are honoured by the SDK itself, so tests run it against
 * local stand-ins. Prints ids and states, never a value.
 */
import { DescribeTasksCommand, ECSClient, RunTaskCommand } from '@aws-sdk/client-ecs';
import { GetScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { ENVIRONMENT_NAMES, EnvironmentName, REQUIRED_REGION } from '../lib/config/schema';
import { parseFlags } from './lib/flags';
import { explainAwsErrorForArgv } from './lib/aws-access';

export class UsageError extends Error {}

export interface BackupNowOptions {
  readonly env: EnvironmentName;
  readonly timeoutSeconds: number;
  readonly pollSeconds: number;
}

/** A backup of the app's database takes minutes; an hour and a half is far beyond a healthy one. */
export const DEFAULT_TIMEOUT_MINUTES = 90;

export function parseBackupArgs(argv: readonly string[]): BackupNowOptions {
  let flags: Record<string, string | boolean>;
  try {
    flags = parseFlags(argv, { env: 'value', now: 'switch', 'timeout-minutes': 'value', 'poll-seconds': 'value' });
  } catch (error) {
    throw new UsageError(
      `${(error as Error).message}. Fix: npm run backup -- --env ${ENVIRONMENT_NAMES.join('|')} --now`,
    );
  }
  const env = flags.env as string | undefined;
  if (!env || !(ENVIRONMENT_NAMES as readonly string[]).includes(env))
    throw new UsageError(
      `--env is ${env ? `"${env}"` : 'missing'}. Fix: pass --env ${ENVIRONMENT_NAMES.join(' or --env ')}.`,
    );
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
    env: env as EnvironmentName,
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

async function main(): Promise<void> {
  let options: BackupNowOptions;
  try {
    options = parseBackupArgs(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = 2;
    return;
  }
  const result = await backupNow(options);
  if (result.ok) {
    console.log(
      `backup finished in ${result.seconds.toFixed(0)} s; the newest manifest in the vault is this run's (backups/${options.env}/<run id>/manifest.json)`,
    );
  } else {
    console.error(
      `backup FAILED: ${result.stoppedReason ?? 'unknown reason'}${result.exitCode !== undefined ? ` (exit ${result.exitCode})` : ''}; see the task's log group (Backups stack, BackupTask/Logs) for the job's message`,
    );
    process.exitCode = 1;
  }
}

if (require.main === module)
  main().catch((error) => {
    console.error(explainAwsErrorForArgv('npm run backup', process.argv, error).message);
    process.exitCode = 1;
  });
