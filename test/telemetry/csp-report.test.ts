/**
 * `npm run csp-report` against a CloudWatch Logs stand-in holding what the real collector stored: it finds the log
 * group through the saved query, runs that query over the requested window, and prints for each violation the
 * change that would allow it or why not.
 */
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { adviceFor } from '../../lib/telemetry/csp-advice';
import { TELEMETRY_QUERIES } from '../../lib/telemetry/queries';
import { cspReport, parseSince } from '../../scripts/csp-report';
import { FakeCloudWatchLogs, startFakeCloudWatchLogs } from '../../tools/stand-ins/cloudwatch-logs';
import { DUMMY_AWS_ENV } from '../../tools/stand-ins/aws-endpoints';
import { post, startCollector } from './support';
import { withLowRetryJitter } from '../support/retry-jitter';

const LOG_GROUP = '/aws/lambda/miko-staging-collector';
let logs: FakeCloudWatchLogs;
let client: CloudWatchLogsClient;

const report = (directive: string, blocked: string, disposition = 'report') => ({
  'csp-report': {
    'document-uri': 'https://app.example.com/book?email=jane@example.com',
    'effective-directive': directive,
    'blocked-uri': blocked,
    disposition,
    'script-sample': '',
  },
});

beforeAll(async () => {
  Object.assign(process.env, DUMMY_AWS_ENV);
  logs = await startFakeCloudWatchLogs();
  client = new CloudWatchLogsClient({ endpoint: logs.url, region: 'us-east-1' });
  logs.queryDefinitions.push({
    name: 'miko-staging/what-the-csp-blocked',
    logGroupNames: [LOG_GROUP],
    queryString: TELEMETRY_QUERIES['what-the-csp-blocked'],
  });
  // What the collector itself stored, as CloudWatch Logs would hold it.
  const collector = await startCollector();
  const sent: Array<[string, string, string?]> = [
    ['img-src', 'https://maps.gstatic.com/tile.png?x=1'],
    ['img-src', 'https://maps.gstatic.com/other.png'],
    ['script-src-elem', 'inline'],
    ['script-src', 'eval'],
    ['img-src', 'data'],
    ['connect-src', 'http://n8n.example.com/webhook'],
    ['img-src', 'https://old.example.com/a.png'],
  ];
  for (const [directive, blocked] of sent)
    await collector.handle(
      post('/_telemetry/csp', report(directive, blocked), { 'content-type': 'application/csp-report' }),
    );
  await collector.close();
  const now = Date.now();
  collector.stored.forEach((line, i) =>
    logs.lines.push({
      logGroup: LOG_GROUP,
      timestampMs: i === collector.stored.length - 1 ? now - 3 * 86_400_000 : now - 60_000,
      line,
    }),
  );
});
afterAll(async () => {
  await logs.close();
});

it('summarises each violation in the window with the change that allows it, or why not', async () => {
  const summary = await cspReport({ envName: 'staging', sinceMs: parseSince('24h'), client, pollMs: 10 });
  expect(logs.started[0].logGroupNames).toEqual([LOG_GROUP]);
  expect(logs.started[0].endTime - logs.started[0].startTime).toBeGreaterThanOrEqual(86_400);
  const byBlocked = Object.fromEntries(summary.map((s) => [s.blockedUri, s]));
  expect(Object.keys(byBlocked).sort()).toEqual(
    [
      'data:',
      'eval',
      // Paths the release does not name are removed, so one origin's loads are one line.
      'http://n8n.example.com/:id',
      'https://maps.gstatic.com/:id',
      'inline',
    ].sort(),
  );
  expect(byBlocked['https://maps.gstatic.com/:id']).toMatchObject({
    reports: 2,
    verdict: 'allow',
    change: expect.stringContaining('add "https://maps.gstatic.com" to csp["img-src"]'),
  });
  expect(byBlocked.inline).toMatchObject({
    verdict: 'refuse',
    change: expect.stringContaining("'unsafe-inline' in script-src lets any injected <script>"),
  });
  expect(byBlocked.eval.change).toMatch(/'unsafe-eval' lets any string become running code/);
  expect(byBlocked['data:']).toMatchObject({
    verdict: 'allow',
    change: expect.stringContaining('add "data:" to csp["img-src"]'),
  });
  expect(byBlocked['http://n8n.example.com/:id']).toMatchObject({
    verdict: 'refuse',
    change: expect.stringContaining('is clear text'),
  });
  expect(JSON.stringify(summary)).not.toMatch(/jane|email|x=1/);
});

it('rides out a throttled Logs Insights call (the SDK retries), and names the throttling when it persists', () =>
  withLowRetryJitter(async () => {
    logs.throttleNext = 2; // the default client makes three attempts
    const summary = await cspReport({ envName: 'staging', sinceMs: parseSince('24h'), client, pollMs: 10 });
    expect(logs.throttleNext).toBe(0);
    expect(summary.length).toBeGreaterThan(0);
    logs.throttleNext = 3;
    try {
      await expect(
        cspReport({ envName: 'staging', sinceMs: parseSince('24h'), client, pollMs: 10 }),
      ).rejects.toMatchObject({ name: 'ThrottlingException', message: 'Rate exceeded' });
    } finally {
      logs.throttleNext = 0;
    }
  }));

it('refuses a malformed --since and an environment without the saved query', async () => {
  expect(() => parseSince('yesterday')).toThrow(/Fix: write it like 30m, 24h or 7d/);
  await expect(cspReport({ envName: 'production', sinceMs: 3_600_000, client, pollMs: 10 })).rejects.toThrow(
    /no saved Logs Insights query "miko-production\/what-the-csp-blocked"/,
  );
});

it.each([
  [
    { directive: 'script-src-elem', blockedUri: 'https://accounts.google.com/gsi/client' },
    'allow',
    /add "https:\/\/accounts.google.com" to csp\["script-src"\]/,
  ],
  [
    { directive: 'style-src-elem', blockedUri: 'inline', sample: '.toast{}' },
    'allow',
    /npm run check-app .* 'sha256-…'/,
  ],
  [{ directive: 'worker-src', blockedUri: 'blob:' }, 'allow', /csp\["worker-src"\]/],
  [{ directive: 'connect-src', blockedUri: 'blob:' }, 'refuse', /there is no origin to trust/],
  [{ directive: 'frame-ancestors', blockedUri: 'https://evil.example' }, 'refuse', /not opened by config/],
  [{ directive: 'img-src', blockedUri: 'chrome-extension://abc/x.png' }, 'ignore', /extension/],
] as const)('advice for %j', (violation, verdict, change) => {
  const advice = adviceFor({ disposition: 'enforce', documentPath: '/', reports: 1, ...violation });
  expect(advice.verdict).toBe(verdict);
  expect(advice.change).toMatch(change);
});
