/**
 * `npm run backup -- --env <env> --now` against local EventBridge Scheduler and ECS stand-ins spoken to by the real
 * SDK clients: it starts exactly the task the nightly schedule would, follows it to the end, and reports the job's
 * exit code; usage errors name the flag and the fix.
 */
import { ECSClient } from '@aws-sdk/client-ecs';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { backupNow, parseBackupArgs, UsageError } from '../../scripts/backup';
import { DUMMY_AWS_ENV, readBody, startLocalServer, LocalServer } from '../../tools/stand-ins/aws-endpoints';

const CLUSTER = 'arn:aws:ecs:us-east-1:111111111111:cluster/miko-staging-backups';
const TASK_DEFINITION = 'arn:aws:ecs:us-east-1:111111111111:task-definition/miko-staging-backup:3';
const credentials = {
  accessKeyId: DUMMY_AWS_ENV.AWS_ACCESS_KEY_ID,
  secretAccessKey: DUMMY_AWS_ENV.AWS_SECRET_ACCESS_KEY,
};

interface FakeAws extends LocalServer {
  readonly runTaskRequests: any[];
}

/** Scheduler (restJson1: GET /schedules/<name>) and ECS (awsJson1_1 RunTask/DescribeTasks) on one local server. */
async function startFakeAws(task: { exitCode?: number; statuses: string[]; runFailure?: string }): Promise<FakeAws> {
  const runTaskRequests: any[] = [];
  let describes = 0;
  const local = await startLocalServer(async (req, res) => {
    const body = await readBody(req);
    if (req.method === 'GET' && req.url?.startsWith('/schedules/miko-staging-backup')) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          Name: 'miko-staging-backup',
          State: 'ENABLED',
          ScheduleExpression: 'cron(15 3 * * ? *)',
          FlexibleTimeWindow: { Mode: 'OFF' },
          Target: {
            Arn: CLUSTER,
            RoleArn: 'arn:aws:iam::111111111111:role/scheduler',
            EcsParameters: {
              TaskDefinitionArn: TASK_DEFINITION,
              LaunchType: 'FARGATE',
              PlatformVersion: 'LATEST',
              TaskCount: 1,
              NetworkConfiguration: {
                awsvpcConfiguration: {
                  Subnets: ['subnet-a', 'subnet-b'],
                  SecurityGroups: ['sg-task'],
                  AssignPublicIp: 'ENABLED',
                },
              },
            },
          },
        }),
      );
      return;
    }
    if (req.method === 'GET') {
      res
        .writeHead(404, { 'content-type': 'application/json', 'x-amzn-errortype': 'ResourceNotFoundException' })
        .end(JSON.stringify({ Message: 'Schedule not found' }));
      return;
    }
    const target = String(req.headers['x-amz-target']);
    res.setHeader('content-type', 'application/x-amz-json-1.1');
    if (target === 'AmazonEC2ContainerServiceV20141113.RunTask') {
      runTaskRequests.push(JSON.parse(body));
      if (task.runFailure) {
        res
          .writeHead(200)
          .end(JSON.stringify({ tasks: [], failures: [{ reason: task.runFailure, detail: 'no Fargate capacity' }] }));
        return;
      }
      res.writeHead(200).end(
        JSON.stringify({
          tasks: [{ taskArn: `${CLUSTER.replace(':cluster/', ':task/')}/abc123`, lastStatus: 'PROVISIONING' }],
          failures: [],
        }),
      );
      return;
    }
    if (target === 'AmazonEC2ContainerServiceV20141113.DescribeTasks') {
      const status = task.statuses[Math.min(describes++, task.statuses.length - 1)];
      const stopped = status === 'STOPPED';
      res.writeHead(200).end(
        JSON.stringify({
          tasks: [
            {
              taskArn: 'x',
              lastStatus: status,
              stoppedReason: stopped ? 'Essential container in task exited' : undefined,
              containers: [{ name: 'backup', exitCode: stopped ? task.exitCode : undefined }],
            },
          ],
          failures: [],
        }),
      );
      return;
    }
    res.writeHead(400).end(JSON.stringify({ __type: 'InvalidParameterException', message: `unexpected ${target}` }));
  });
  return { ...local, runTaskRequests };
}

function clients(url: string) {
  return {
    scheduler: new SchedulerClient({ endpoint: url, region: 'us-east-1', credentials }),
    ecs: new ECSClient({ endpoint: url, region: 'us-east-1', credentials }),
  };
}

const options = { env: 'staging' as const, timeoutSeconds: 30, pollSeconds: 0.01 };

test('starts the task the nightly schedule would start and follows it to a successful end', async () => {
  const aws = await startFakeAws({
    exitCode: 0,
    statuses: ['PROVISIONING', 'PENDING', 'RUNNING', 'RUNNING', 'DEPROVISIONING', 'STOPPED'],
  });
  const lines: string[] = [];
  try {
    const result = await backupNow(options, clients(aws.url), (line) => lines.push(line));
    expect(result).toMatchObject({ ok: true, exitCode: 0, lastStatus: 'STOPPED' });
    expect(aws.runTaskRequests).toEqual([
      expect.objectContaining({
        cluster: CLUSTER,
        taskDefinition: TASK_DEFINITION,
        launchType: 'FARGATE',
        networkConfiguration: {
          awsvpcConfiguration: {
            subnets: ['subnet-a', 'subnet-b'],
            securityGroups: ['sg-task'],
            assignPublicIp: 'ENABLED',
          },
        },
      }),
    ]);
    expect(lines.map((l) => l.trim().split(/\s+/).pop())).toEqual([
      '(miko-staging-backup:3)',
      'PROVISIONING',
      'PENDING',
      'RUNNING',
      'DEPROVISIONING',
      'STOPPED',
    ]);
  } finally {
    await aws.close();
  }
});

test("reports a job that exited non-zero as failed, with ECS's reason", async () => {
  const aws = await startFakeAws({ exitCode: 1, statuses: ['RUNNING', 'STOPPED'] });
  try {
    expect(await backupNow(options, clients(aws.url), () => undefined)).toMatchObject({
      ok: false,
      exitCode: 1,
      stoppedReason: 'Essential container in task exited',
    });
  } finally {
    await aws.close();
  }
});

test('says why ECS would not start the task', async () => {
  const aws = await startFakeAws({ statuses: [], runFailure: 'RESOURCE:FARGATE' });
  try {
    await expect(backupNow(options, clients(aws.url), () => undefined)).rejects.toThrow(
      'ECS did not start the backup task: RESOURCE:FARGATE (no Fargate capacity).',
    );
  } finally {
    await aws.close();
  }
});

test('gives up following after the timeout without claiming success', async () => {
  const aws = await startFakeAws({ statuses: ['RUNNING'] });
  try {
    const result = await backupNow({ ...options, timeoutSeconds: 0.2 }, clients(aws.url), () => undefined);
    expect(result).toMatchObject({ ok: false, lastStatus: 'RUNNING' });
    expect(result.stoppedReason).toMatch(/still RUNNING after 0.2 s/);
  } finally {
    await aws.close();
  }
});

test.each([
  [['--now'], /--env is missing/],
  [['--env', 'prod', '--now'], /--env is "prod"\. Fix: --env staging or --env production\./],
  [['--env', 'staging'], /--now is missing.*Fix: add --now/],
  [['--env', 'staging', '--now', '--bogus'], /Unknown option '--bogus'/],
])('usage error for %j', (argv, message) => {
  expect(() => parseBackupArgs(argv)).toThrow(UsageError);
  expect(() => parseBackupArgs(argv)).toThrow(message);
});
