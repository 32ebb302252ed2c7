/**
 * Caps on new-kind notices, in DynamoDB so they bind all instances: counters per minute, live release and day, each
 * raised by a conditional UpdateItem; when one refuses, the others' slots are given back (races err toward fewer
 * notices). One slot past each cap sends a single "cap reached" notice, so a forged flood ends saying so.
 */
import { ConditionalCheckFailedException, DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { withDeadline } from './deadline';
import { NOVELTY_TABLE } from './novelty';

export interface NoticeCapSettings {
  readonly perMinute: number;
  readonly perRelease: number;
  readonly perDay: number;
}

export type CapName = keyof NoticeCapSettings;

export type CapAnswer =
  /** Send the new-kind notice; `releaseCount` is this release's count of notices, this one included. */
  | { readonly verdict: 'notify'; readonly releaseCount: number }
  /** The cap was just reached: send one "cap reached" notice naming it. */
  | { readonly verdict: 'cap-reached'; readonly cap: CapName; readonly limit: number }
  /** Over a cap (or the store failed: no notice is the safe side); the kind is still logged and counted. */
  | { readonly verdict: 'quiet'; readonly cap?: CapName; readonly failure?: string };

export interface NoticeCaps {
  take(envName: string, liveRelease: string, nowMs: number): Promise<CapAnswer>;
}

export interface DynamoNoticeCapSettings {
  readonly tableName: string;
  readonly timeoutMs: number;
  readonly caps: NoticeCapSettings;
}

const COUNT = 'noticeCount';

export function dynamoNoticeCaps(client: DynamoDBClient, settings: DynamoNoticeCapSettings): NoticeCaps {
  /** Raises one counter; the new count, or undefined when it already holds cap + 1 (the cap-reached slot). */
  const raise = async (key: string, cap: number, expiresAtS: number, signal: AbortSignal) => {
    try {
      const out = await client.send(
        new UpdateItemCommand({
          TableName: settings.tableName,
          Key: { [NOVELTY_TABLE.partitionKey]: { S: key } },
          UpdateExpression: 'ADD #count :one SET #expiresAt = :expiresAt',
          ConditionExpression: 'attribute_not_exists(#count) OR #count <= :cap',
          ExpressionAttributeNames: { '#count': COUNT, '#expiresAt': NOVELTY_TABLE.ttlAttribute },
          ExpressionAttributeValues: {
            ':one': { N: '1' },
            ':cap': { N: String(cap) },
            ':expiresAt': { N: String(expiresAtS) },
          },
          ReturnValues: 'UPDATED_NEW',
        }),
        { abortSignal: signal },
      );
      return Number(out.Attributes?.[COUNT]?.N);
    } catch (error) {
      if (
        error instanceof ConditionalCheckFailedException ||
        (error as Error).name === 'ConditionalCheckFailedException'
      )
        return undefined;
      throw error;
    }
  };

  const giveBack = (key: string, signal: AbortSignal) =>
    client.send(
      new UpdateItemCommand({
        TableName: settings.tableName,
        Key: { [NOVELTY_TABLE.partitionKey]: { S: key } },
        UpdateExpression: 'ADD #count :minusOne',
        ExpressionAttributeNames: { '#count': COUNT },
        ExpressionAttributeValues: { ':minusOne': { N: '-1' } },
      }),
      { abortSignal: signal },
    );

  // Counters found full, remembered by key (each key is one window), so a flood of new kinds costs no more writes.
  const full = new Set<string>();

  return {
    async take(envName, liveRelease, nowMs) {
      const nowS = Math.floor(nowMs / 1000);
      const minute = Math.floor(nowS / 60);
      const day = Math.floor(nowS / 86_400);
      const counters: Array<[CapName, string, number, number]> = [
        ['perMinute', `notices#${envName}#minute#${minute}`, settings.caps.perMinute, (minute + 2) * 60],
        ['perDay', `notices#${envName}#day#${day}`, settings.caps.perDay, (day + 2) * 86_400],
        // A release's counter lives as long as a kind stays known: longer than any release is live.
        ['perRelease', `notices#${envName}#release#${liveRelease}`, settings.caps.perRelease, nowS + 90 * 86_400],
      ];
      try {
        return await withDeadline('DynamoDB UpdateItem (notice caps)', settings.timeoutMs, async (signal) => {
          const isFull = counters.find(([, key]) => full.has(key));
          if (isFull) return { verdict: 'quiet', cap: isFull[0] } as const;
          // The three at once: one round trip, not three, inside the store's bound.
          const counts = await Promise.all(
            counters.map(([, key, limit, expiresAtS]) => raise(key, limit, expiresAtS, signal)),
          );
          counters.forEach(([, key, limit], i) => {
            if (counts[i] === undefined || counts[i]! > limit) {
              if (full.size >= 1000) full.clear();
              full.add(key);
            }
          });
          const refused = counts.findIndex((count) => count === undefined);
          const reached = counters.findIndex(([, , limit], i) => counts[i] !== undefined && counts[i]! > limit);
          // Slots to give back: all taken when one refused; other caps' "cap reached" slots when one is sent.
          const giveBackIndexes = counters
            .map((_, i) => i)
            .filter((i) => counts[i] !== undefined && (refused >= 0 || (i !== reached && counts[i]! > counters[i][2])));
          for (const i of giveBackIndexes) full.delete(counters[i][1]);
          await Promise.all(giveBackIndexes.map((i) => giveBack(counters[i][1], signal)));
          if (refused >= 0) return { verdict: 'quiet', cap: counters[refused][0] } as const;
          if (reached >= 0)
            return { verdict: 'cap-reached', cap: counters[reached][0], limit: counters[reached][2] } as const;
          return {
            verdict: 'notify',
            releaseCount: counts[counters.findIndex(([cap]) => cap === 'perRelease')]!,
          } as const;
        });
      } catch (error) {
        return { verdict: 'quiet', failure: (error as Error).name || 'Error' };
      }
    },
  };
}
