/** The release stand-in (tools/stand-ins/release-aws.ts) with kept releases, and the env that points the SDK at it. */
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { abortCanary, AlarmActionEvent, AbortOutcome } from '../../lambda/canary-abort/abort';
import { FakeSiteAws, startFakeSiteAws } from '../../tools/stand-ins/release-aws';
import type { LocalSns } from '../../tools/stand-ins/sns';
import { clientsFrom } from '../../scripts/lib/release-aws';
import { main as audit } from '../../scripts/audit';

export async function startReleaseAws(live = 'r1', kept = ['r1', 'r2', 'r3']): Promise<FakeSiteAws> {
  const aws = await startFakeSiteAws('Production-Site');
  kept.forEach((id, i) => aws.objects.set(`releases/${id}/index.html`, new Date(Date.UTC(2026, 10, 1 + i))));
  aws.store.set('live-release', live);
  return aws;
}

export const clientsFor = (aws: FakeSiteAws) =>
  clientsFrom({
    AWS_ENDPOINT_URL: aws.url,
    AWS_ACCESS_KEY_ID: 'AKIDTEST',
    AWS_SECRET_ACCESS_KEY: 'test-secret',
    MIKO_AWS_TIMEOUT_MS: '2000',
  });

/** `npm run audit -- --env production` against the stand-in: its exit code, timeline and errors. */
export async function auditTimeline(aws: FakeSiteAws, argv: string[] = []) {
  const out: string[] = [];
  const err: string[] = [];
  const exit = await audit(['--env', 'production', ...argv], {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    clients: clientsFor(aws),
  });
  return { exit, text: out.join('\n'), err: err.join('\n') };
}

/** The audit records the stand-in holds, oldest first. */
export const auditRecords = (aws: FakeSiteAws) =>
  [...aws.auditObjects.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, body]) => JSON.parse(body.toString('utf8')) as Record<string, any>);

export const canaryOf = (aws: FakeSiteAws) => {
  const text = aws.store.get('canary');
  return text === undefined
    ? undefined
    : (JSON.parse(text) as { release: string; weight: number; abortedBecause?: string });
};

/** The canary abort function as its handler wires it, on the release stand-in, telling on-call on the SNS stand-in. */
export function abortFunction(
  aws: FakeSiteAws,
  sns: LocalSns,
  topicArn: string,
): (event: AlarmActionEvent) => Promise<AbortOutcome> {
  const { kvs, s3 } = clientsFor(aws);
  const client = new SNSClient({
    endpoint: sns.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' },
  });
  return (event) =>
    abortCanary(
      event,
      { environment: 'production', kvsArn: aws.kvsArn, auditBucket: aws.auditBucket },
      {
        kvs,
        s3,
        log: () => undefined,
        notify: async (subject, message) => {
          await client.send(new PublishCommand({ TopicArn: topicArn, Subject: subject, Message: message }));
        },
      },
    );
}
