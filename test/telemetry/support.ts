/** A collector over the real SDK clients, pointed at local DynamoDB and SNS stand-ins, keeping what it stored. */
import { collectorHandler, CollectorEvent } from '../../lambda/telemetry/handler';
import type { CollectorSettings } from '../../lambda/telemetry/settings';
import { startLocalDynamoDb } from '../../tools/stand-ins/dynamodb';
import { startLocalSns } from '../../tools/stand-ins/sns';
import { DUMMY_AWS_ENV } from '../../tools/stand-ins/aws-endpoints';

export const SITE = 'https://app.example.com';
export const TABLE = 'miko-test-client-error-kinds';

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

export async function startCollector(overrides: Partial<CollectorSettings> = {}) {
  Object.assign(process.env, DUMMY_AWS_ENV);
  const dynamodb = await startLocalDynamoDb({ partitionKeys: { [TABLE]: 'kind' } });
  const sns = await startLocalSns();
  const stored: Array<Record<string, any>> = [];
  const handle = collectorHandler(settingsFor(overrides), { dynamodb: dynamodb.url, sns: sns.url }, (line) =>
    stored.push(JSON.parse(line)),
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
 * `count` handlers over one pair of stand-ins, each one Lambda execution environment: nothing shared but the store,
 * which is what the budget and the notice caps must be held in. Generous store bounds: twenty instances start at
 * once on a loaded test machine (the bounds have their own test).
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
    collectorHandler(settings, { dynamodb: dynamodb.url, sns: sns.url }, (line) => stored.push(JSON.parse(line)), now),
  );
  return { dynamodb, sns, stored, handlers, close: () => Promise.all([dynamodb.close(), sns.close()]) };
}
