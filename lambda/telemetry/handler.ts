/**
 * The telemetry collector's Lambda handler (function URL behind CloudFront, `/_telemetry/*`). Thin: the function
 * URL event in, the HTTP answer out; everything else is collector.ts over pure modules.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { createCollector } from './collector';
import type { CollectorRequest } from './intake';
import { dynamoEventBudget } from './event-budget';
import { dynamoNoticeCaps } from './notice-caps';
import { dynamoNoveltyStore } from './novelty';
import { snsNotifier } from './notify';
import { CollectorSettings, readSettings } from './settings';
import { readVocabulary, Vocabulary } from './vocabulary';

export interface CollectorEvent {
  readonly rawPath: string;
  readonly headers?: Record<string, string | undefined>;
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
  readonly requestContext?: { readonly http?: { readonly method?: string } };
}

export interface CollectorResult {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

const ANSWER_HEADERS = { 'cache-control': 'no-store', 'content-type': 'application/json' };

/**
 * Builds the handler over real SDK clients; `endpoints` point them at local stand-ins (preview, tests, bench), and
 * `vocabulary` replaces the one the layer holds (a build's, made by the same vocabularyDocumentOf).
 */
export function collectorHandler(
  settings: CollectorSettings,
  endpoints: { dynamodb?: string; sns?: string } = {},
  write: (line: string) => void = (line) => {
    process.stdout.write(`${line}\n`);
  },
  vocabulary: Vocabulary = readVocabulary(),
  /** Tests pin the clock (the budget and caps count per minute and day). */
  now: () => number = Date.now,
) {
  // One attempt each: the timeouts bound the whole call, and a retry would only spend the bound twice.
  const dynamodb = new DynamoDBClient({ maxAttempts: 1, ...(endpoints.dynamodb && { endpoint: endpoints.dynamodb }) });
  const sns = new SNSClient({ maxAttempts: 1, ...(endpoints.sns && { endpoint: endpoints.sns }) });
  const collect = createCollector({
    envName: settings.envName,
    siteOrigin: settings.siteOrigin,
    maxBodyBytes: settings.maxBodyBytes,
    store: dynamoNoveltyStore(dynamodb, settings.novelty),
    budget: dynamoEventBudget(dynamodb, {
      tableName: settings.novelty.tableName,
      timeoutMs: settings.novelty.timeoutMs,
      ...settings.budget,
    }),
    caps: dynamoNoticeCaps(dynamodb, {
      tableName: settings.novelty.tableName,
      timeoutMs: settings.novelty.timeoutMs,
      caps: settings.notify.caps,
    }),
    releaseCap: settings.notify.caps.perRelease,
    notify: snsNotifier(sns, settings.notify),
    vocabulary,
    // process.stdout, not console.log: Lambda's JSON log format would wrap a console line and break its EMF.
    write,
    now,
  });
  return async (event: CollectorEvent): Promise<CollectorResult> => {
    const request: CollectorRequest = {
      method: event.requestContext?.http?.method ?? 'GET',
      path: event.rawPath,
      headers: lowerCased(event.headers ?? {}),
      body: Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8'),
    };
    const answer = await collect(request);
    if (answer.status === 204) return { statusCode: 204, headers: { 'cache-control': 'no-store' } };
    return { statusCode: answer.status, headers: ANSWER_HEADERS, body: JSON.stringify({ error: answer.reason }) };
  };
}

function lowerCased(headers: Record<string, string | undefined>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

let built: ReturnType<typeof collectorHandler> | undefined;

export async function handler(event: CollectorEvent): Promise<CollectorResult> {
  built ??= collectorHandler(readSettings());
  return built(event);
}
