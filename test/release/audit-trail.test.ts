/**
 * The audit trail end to end against the stand-in, whose audit bucket behaves as its bucket policy and Object Lock
 * (compliance) make the real one: a deploy (the pointer mover), a canary abort (the abort function), a flag flip and
 * a rollback (the commands) come out of `npm run audit` in order with who and why; rewriting or deleting a record
 * fails; a record altered or removed behind S3's back (what the lock prevents in AWS) breaks the chain, loudly.
 */
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { abortCanary } from '../../lambda/canary-abort/abort';
import { movePointer } from '../../lambda/release-pointer/handler';
import { main as audit, EXIT } from '../../scripts/audit';
import { main as flag } from '../../scripts/flag';
import { rollback } from '../../scripts/rollback';
import type { FakeSiteAws } from '../../tools/stand-ins/release-aws';
import { auditTimeline, clientsFor, startReleaseAws } from './support';

let aws: FakeSiteAws;
beforeAll(async () => {
  aws = await startReleaseAws('r1', ['r1', 'r2', 'r3']);
  const clients = clientsFor(aws);
  const quiet = () => undefined;
  await movePointer(
    {
      KvsArn: aws.kvsArn,
      BucketName: aws.bucket,
      ReleaseId: 'r3',
      ReleasesToKeep: '5',
      FirstCanaryWeight: '5',
      AuditBucket: aws.auditBucket,
      EnvName: 'production',
      DeployedBy: 'github:miko/infra/actions/runs/41 (carol)',
    },
    clients,
  );
  await abortCanary(
    {
      alarmArn: 'arn:aws:cloudwatch:us-east-1:222222222222:alarm:miko-production-warning-canary-site-down',
      alarmData: {
        alarmName: 'miko-production-warning-canary-site-down',
        state: { value: 'ALARM', reason: 'chunk 404' },
      },
    },
    { environment: 'production', kvsArn: aws.kvsArn, auditBucket: aws.auditBucket },
    { ...clients, notify: async () => undefined, log: quiet },
  );
  await flag(['--env', 'production', '--set', 'researchAgent=false', '--reason', 'n8n chat is down'], {
    out: quiet,
    err: quiet,
    clients,
    who: 'dave@practice',
  });
  await rollback(
    ['--env', 'production', '--release', 'r2', '--reason', 'r1 slow on iOS'],
    clients,
    quiet,
    quiet,
    'erin@practice',
  );
});
afterAll(() => aws.close());

const runAudit = (argv: string[] = []) => auditTimeline(aws, argv);

it('shows the deploy, the abort, the flag flip and the rollback in order, each with who, what and why', async () => {
  const { exit, text } = await runAudit(['--since', '1d']);
  expect(exit).toBe(EXIT.intact);
  const lines = text.split('\n');
  const actions = lines.filter((l) => /^\d{4}-/.test(l)).map((l) => l.split(/\s+/).slice(1).join(' '));
  expect(actions).toEqual([
    'deploy github:miko/infra/actions/runs/41 (carol)',
    'canary-abort canary-abort function (arn:aws:cloudwatch:us-east-1:222222222222:alarm:miko-production-warning-canary-site-down)',
    'flag-set dave@practice',
    'rollback erin@practice',
  ]);
  expect(text).toMatch(/why: deploy of release r3/);
  expect(text).toMatch(
    /"weight":5\}\} -> .*"weight":0,"abortedBecause":"miko-production-warning-canary-site-down: chunk 404"/,
  );
  expect(text).toMatch(/\{"flags":\{\}\} -> \{"flags":\{"researchAgent":false\}\}\n\s+why: n8n chat is down/);
  expect(text).toMatch(/\{"live":"r1"\} -> \{"live":"r2"\}\n\s+why: r1 slow on iOS/);
  expect(text).toMatch(/the trail is intact/);
});

it('refuses to rewrite or delete a record', async () => {
  const { s3 } = clientsFor(aws);
  const [key] = [...aws.auditObjects.keys()];
  const original = aws.auditObjects.get(key);
  await expect(
    s3.send(new PutObjectCommand({ Bucket: aws.auditBucket, Key: key, Body: '{"forged":true}', IfNoneMatch: '*' })),
  ).rejects.toMatchObject({ $metadata: { httpStatusCode: 412 } });
  await expect(
    s3.send(new PutObjectCommand({ Bucket: aws.auditBucket, Key: key, Body: '{"forged":true}' })),
  ).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
  await expect(s3.send(new DeleteObjectCommand({ Bucket: aws.auditBucket, Key: key }))).rejects.toMatchObject({
    $metadata: { httpStatusCode: 403 },
  });
  expect(aws.auditObjects.get(key)).toEqual(original);
});

it('reports a record altered or removed behind the bucket’s back, with exit 1', async () => {
  const keys = [...aws.auditObjects.keys()].sort();
  const saved = new Map(aws.auditObjects);
  try {
    const altered = JSON.parse(aws.auditObjects.get(keys[2])!.toString());
    aws.auditObjects.set(keys[2], Buffer.from(JSON.stringify({ ...altered, why: 'nothing to see' })));
    aws.auditObjects.delete(keys[1]);
    const { exit, err } = await runAudit();
    expect(exit).toBe(EXIT.broken);
    expect(err).toMatch(/THE TRAIL IS BROKEN \(2\)/);
    expect(err).toMatch(/does not match its hash \(altered\)/);
    expect(err).toMatch(/a record removed or inserted/);
  } finally {
    aws.auditObjects.clear();
    for (const [k, v] of saved) aws.auditObjects.set(k, v);
  }
});

it('explains bad input with exit 2', async () => {
  expect((await runAudit(['--since', 'last week'])).exit).toBe(EXIT.usage);
  expect(await audit(['--env', 'prod'], { out: () => undefined, err: () => undefined })).toBe(EXIT.usage);
});
