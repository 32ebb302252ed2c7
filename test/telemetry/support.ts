/** A collector over the real SDK clients, pointed at local DynamoDB and SNS stand-ins, keeping what it stored. */
import { collectorHandler, CollectorEvent } from '../../lambda/telemetry/handler';
import type { CollectorSettings } from '../../lambda/telemetry/settings';
import { startLocalDynamoDb } from '../../tools/stand-ins/dynamodb';
import { startLocalSns } from '../../tools/stand-ins/sns';
import { DUMMY_AWS_ENV } from '../../tools/stand-ins/aws-endpoints';
import { Vocabulary, vocabularyDocumentOf, vocabularyFrom } from '../../lambda/telemetry/vocabulary';

export const SITE = 'https://app.example.com';
export const TABLE = 'miko-test-client-error-kinds';

/**
 * The release these tests' reports come from: a small app whose code holds its routes and the words its errors
 * use. What the collector keeps is decided by this build, as the deployed one's is by the real bundle.
 */
export const TEST_BUILD: ReadonlyMap<string, Buffer> = new Map(
  Object.entries({
    'index.html': '<!doctype html><title>MiKO</title><script type="module" src="/assets/index-c63af811.js"></script>',
    'assets/index-c63af811.js': `
      const routes = [{ path: "/book" }, { path: "/booking/:bookingId" }, { path: "/appointments/:id" }, { path: "/patients" }];
      function onClick(event) { submit(event.target.dataset.slot); }
      function submit(slot) { if (!slot) throw new Error("Booking failed: no slot for this patient"); }
      export function report(token, key) { return fetch("/_telemetry/errors", { method: "POST", body: JSON.stringify({ token, key }) }); }`,
    'assets/vendor-0123abcd.js': 'export function dispatch(action) { return action; }',
    'assets/a.js': 'export const unload = () => undefined;',
  }).map(([path, text]) => [path, Buffer.from(text)]),
);
export const TEST_VOCABULARY: Vocabulary = vocabularyFrom(vocabularyDocumentOf(TEST_BUILD));

export function settingsFor(overrides: Partial<CollectorSettings> = {}): CollectorSettings {
  return {
    envName: 'staging',
    siteOrigin: SITE,
    maxBodyBytes: 16_384,
    novelty: { tableName: TABLE, windowDays: 14, timeoutMs: 300, rememberKnownMs: 0 },
    budget: { eventsPerMinute: 100_000, leaseEvents: 20, sampleOneIn: 200, outageSharePerInstance: 100 },
    notify: {
      topicArn: 'arn:aws:sns:us-east-1:111111111111:miko-staging-warning',
      timeoutMs: 300,
      caps: { perMinute: 5, perRelease: 10, perDay: 40 },
    },
    ...overrides,
  };
}

export async function startCollector(
  overrides: Partial<CollectorSettings> = {},
  vocabulary: Vocabulary = TEST_VOCABULARY,
) {
  Object.assign(process.env, DUMMY_AWS_ENV);
  const dynamodb = await startLocalDynamoDb({ partitionKeys: { [TABLE]: 'kind' } });
  const sns = await startLocalSns();
  const stored: Array<Record<string, any>> = [];
  const handle = collectorHandler(
    settingsFor(overrides),
    { dynamodb: dynamodb.url, sns: sns.url },
    (line) => stored.push(JSON.parse(line)),
    vocabulary,
  );
  return {
    dynamodb,
    sns,
    stored,
    handle,
    close: async () => {
      await dynamodb.close();
      await sns.close();
    },
  };
}

export function post(path: string, body: unknown, headers: Record<string, string> = {}): CollectorEvent {
  return {
    rawPath: path,
    requestContext: { http: { method: 'POST' } },
    headers: {
      origin: SITE,
      'content-type': 'application/json',
      'user-agent':
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36',
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  };
}

/**
 * `count` handlers over one pair of stand-ins, each one execution environment sharing only the store, where the
 * budget and notice caps must live. Generous store bounds: twenty instances start at once on a loaded machine.
 */
export async function collectorInstances(
  count: number,
  overrides: Partial<CollectorSettings> = {},
  now: () => number = Date.now,
) {
  Object.assign(process.env, DUMMY_AWS_ENV);
  const dynamodb = await startLocalDynamoDb({ partitionKeys: { [TABLE]: 'kind' } });
  const sns = await startLocalSns();
  const stored: Array<Record<string, any>> = [];
  const settings = settingsFor({ novelty: { ...settingsFor().novelty, timeoutMs: 10_000 }, ...overrides });
  const handlers = Array.from({ length: count }, () =>
    collectorHandler(
      settings,
      { dynamodb: dynamodb.url, sns: sns.url },
      (line) => stored.push(JSON.parse(line)),
      TEST_VOCABULARY,
      now,
    ),
  );
  return { dynamodb, sns, stored, handlers, close: () => Promise.all([dynamodb.close(), sns.close()]) };
}
