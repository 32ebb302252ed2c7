/**
 * Whether a fingerprint is new here: one PutItem conditional on no item or an expired one (`expiresAt < now`, as
 * TTL deletes only within days). A kind's window starts at first sight and is not extended (a write per error), so a
 * lasting bug is announced again once per window. Known fingerprints are cached per instance.
 */
import { ConditionalCheckFailedException, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { withDeadline } from './deadline';
import type { ErrorFacts } from './event-line';

export interface NoveltyStore {
  /** `new` once per fingerprint, live release and window; `unknown` when the store failed or did not answer in time. */
  sighting(
    envName: string,
    fingerprint: string,
    release: string,
    nowMs: number,
  ): Promise<{ novelty: ErrorFacts['novelty']; failure?: string }>;
}

export interface DynamoNoveltySettings {
  readonly tableName: string;
  readonly windowDays: number;
  readonly timeoutMs: number;
  /** How long a fingerprint found known is not asked about again in this execution environment. */
  readonly rememberKnownMs: number;
}

/** The table's key and TTL attribute names (the construct declares the same). */
export const NOVELTY_TABLE = { partitionKey: 'kind', ttlAttribute: 'expiresAt' } as const;

export function dynamoNoveltyStore(client: DynamoDBClient, settings: DynamoNoveltySettings): NoveltyStore {
  const knownUntil = new Map<string, number>();
  return {
    async sighting(envName, fingerprint, release, nowMs) {
      const key = `${envName}#${release}#${fingerprint}`;
      if ((knownUntil.get(key) ?? 0) > nowMs) return { novelty: 'known' };
      const nowS = Math.floor(nowMs / 1000);
      try {
        await withDeadline('DynamoDB PutItem', settings.timeoutMs, (abortSignal) =>
          client.send(
            new PutItemCommand({
              TableName: settings.tableName,
              Item: {
                [NOVELTY_TABLE.partitionKey]: { S: key },
                release: { S: release },
                firstSeen: { N: String(nowS) },
                [NOVELTY_TABLE.ttlAttribute]: { N: String(nowS + settings.windowDays * 86_400) },
              },
              ConditionExpression: 'attribute_not_exists(#kind) OR #expiresAt < :now',
              ExpressionAttributeNames: {
                '#kind': NOVELTY_TABLE.partitionKey,
                '#expiresAt': NOVELTY_TABLE.ttlAttribute,
              },
              ExpressionAttributeValues: { ':now': { N: String(nowS) } },
            }),
            { abortSignal },
          ),
        );
        remember(knownUntil, key, nowMs + settings.rememberKnownMs);
        return { novelty: 'new' };
      } catch (error) {
        if (
          error instanceof ConditionalCheckFailedException ||
          (error as Error).name === 'ConditionalCheckFailedException'
        ) {
          remember(knownUntil, key, nowMs + settings.rememberKnownMs);
          return { novelty: 'known' };
        }
        return { novelty: 'unknown', failure: (error as Error).name || 'Error' };
      }
    },
  };
}

/** Bounded: a flood of distinct fingerprints must not grow the execution environment's memory without end. */
function remember(map: Map<string, number>, key: string, until: number): void {
  if (map.size >= 5000) map.delete(map.keys().next().value as string);
  map.set(key, until);
}
