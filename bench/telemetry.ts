/**
 * The telemetry collector's own cost, in process, over the real SDK clients pointed at local DynamoDB and SNS
 * stand-ins: handler time per kind of request at p50 and p99 (target ≤ 5 ms at p99, like the health handler's
 * overhead), events per second on one core, and the answer time with a hung store (bounded by its timeout).
 */
import { collectorHandler, CollectorEvent } from '../lambda/telemetry/handler';
import type { CollectorSettings } from '../lambda/telemetry/settings';
import { startLocalDynamoDb } from '../tools/stand-ins/dynamodb';
import { startLocalSns } from '../tools/stand-ins/sns';
import { vocabularyFrom } from '../lambda/telemetry/vocabulary';
import { buildVocabulary } from '../lib/telemetry/vocabulary-layer';
import { FIXTURE_APP_DIST } from '../test/fixtures/real-app/sources';
import { percentile, printTable } from './measure';

const SITE = 'https://app.example.com';
const REQUESTS = 1000;
const STORE_TIMEOUT_MS = 400;

const settings = (rememberKnownMs: number): CollectorSettings => ({
  envName: 'bench',
  siteOrigin: SITE,
  maxBodyBytes: 65_536,
  novelty: { tableName: 'bench-kinds', windowDays: 14, timeoutMs: STORE_TIMEOUT_MS, rememberKnownMs },
  budget: {
    eventsPerMinute: 1_000_000_000,
    leaseEvents: 1_000_000,
    sampleOneIn: 200,
    outageSharePerInstance: 1_000_000,
  },
  notify: {
    topicArn: 'arn:aws:sns:us-east-1:111111111111:miko-bench-warning',
    timeoutMs: 800,
    caps: { perMinute: 1_000_000, perRelease: 1_000_000, perDay: 1_000_000 },
  },
});

const request = (path: string, body: unknown, contentType = 'application/json'): CollectorEvent => ({
  rawPath: path,
  requestContext: { http: { method: 'POST' } },
  headers: { origin: SITE, 'content-type': contentType, 'user-agent': 'Mozilla/5.0 Chrome/140.0.0.0 Safari/537.36' },
  body: JSON.stringify(body),
});

const csp = request(
  '/_telemetry/csp',
  {
    'csp-report': {
      'document-uri': `${SITE}/book?email=jane@example.com`,
      'effective-directive': 'img-src',
      'blocked-uri': 'https://maps.example.com/t.png?x=1',
      disposition: 'enforce',
    },
  },
  'application/csp-report',
);
const anError = (message: string) =>
  request('/_telemetry/errors', {
    message,
    stack: `Error: ${message}\n    at submit (${SITE}/assets/index-c63af811.js:1:2345)\n    at onClick (${SITE}/assets/index-c63af811.js:1:999)`,
    path: '/book',
    release: 'r-1',
    time: Date.now(),
  });
const batch = request(
  '/_telemetry/reports',
  Array.from({ length: 50 }, (_, i) => ({
    type: 'deprecation',
    url: `${SITE}/p${i}?q=1`,
    body: { id: 'X', message: `deprecated ${i}` },
  })),
  'application/reports+json',
);

async function timed(
  handle: (e: CollectorEvent) => Promise<{ statusCode: number }>,
  event: (i: number) => CollectorEvent,
  count = REQUESTS,
): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const answer = await handle(event(i));
    times.push(performance.now() - started);
    if (answer.statusCode !== 204) throw new Error(`bench: collector answered ${answer.statusCode}`);
  }
  return times;
}

export async function benchTelemetry(): Promise<void> {
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: 'AKIDLOCALBENCH',
    AWS_SECRET_ACCESS_KEY: 'local-bench-only',
    AWS_REGION: 'us-east-1',
  });
  const dynamodb = await startLocalDynamoDb();
  const sns = await startLocalSns();
  const noSink = () => undefined;
  try {
    // The real app's size of vocabulary: the fixture app's build (React, Radix, Sentry, supabase-js).
    const vocabulary = vocabularyFrom(buildVocabulary(FIXTURE_APP_DIST));
    const cached = collectorHandler(settings(60_000), { dynamodb: dynamodb.url, sns: sns.url }, noSink, vocabulary);
    const uncached = collectorHandler(settings(0), { dynamodb: dynamodb.url, sns: sns.url }, noSink, vocabulary);
    await timed(cached, () => anError('warm up'), 50);
    await timed(uncached, (i) => anError(`warm up ${String.fromCharCode(97 + (i % 26))}`), 50);

    const cspTimes = await timed(cached, () => csp);
    const known = await timed(cached, () => anError('known error'));
    const knownAsked = await timed(uncached, () => anError('known error, asked'));
    const fresh = await timed(
      uncached,
      (i) => anError(`fresh kind ${i.toString(36).replace(/\d/g, (d) => 'abcdefghij'[Number(d)])}`),
      300,
    );
    const batches = await timed(cached, () => batch, 200);

    let events = 0;
    const until = performance.now() + 2000;
    while (performance.now() < until) {
      await cached(csp);
      events++;
    }
    const perSecond = events / 2;

    dynamodb.behaviour = 'hang';
    const hung = await timed(uncached, (i) => anError(`while hung ${i}`), 3);
    const row = (what: string, times: number[], target = '') => [
      [`${what}, p50`, `${percentile(times, 50).toFixed(2)} ms`, ''],
      [`${what}, p99`, `${percentile(times, 99).toFixed(2)} ms`, target],
    ];
    printTable(
      `Telemetry collector handler (in process; DynamoDB and SNS stand-ins on 127.0.0.1; ${REQUESTS} requests each)`,
      ['measure', 'value', 'target'],
      [
        ...row('CSP report (redact, EMF line; no I/O)', cspTimes, '≤ 5 ms'),
        ...row('error of a kind this instance knows (fingerprint, no store call)', known, '≤ 5 ms'),
        ...row('error, store asked (conditional PutItem answered "exists")', knownAsked),
        ...row('error of a new kind (PutItem + SNS notice, both on loopback)', fresh),
        ...row('Reporting API batch of 50 reports', batches),
        ['CSP reports per second, one core, sequential', perSecond.toFixed(0), ''],
        [
          `answer with a hung store (timeout ${STORE_TIMEOUT_MS} ms), max of 3`,
          `${Math.max(...hung).toFixed(0)} ms`,
          `≈ ${STORE_TIMEOUT_MS} ms, never the Lambda timeout`,
        ],
      ],
    );
  } finally {
    await dynamodb.close();
    await sns.close();
  }
}

if (require.main === module) void benchTelemetry();
