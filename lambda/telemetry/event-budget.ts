/**
 * Accepted events per minute (one per KiB), in DynamoDB so it binds every Lambda instance: a flood costs at most
 * this much. Instances lease blocks with one conditional UpdateItem (`used + lease ≤ budget`). Over budget, one
 * request in `sampleOneIn` is sampled (first event only), the rest get 429; if the store fails, each instance
 * spends budget ÷ reserved concurrency.
 */
import { ConditionalCheckFailedException, DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { withDeadline } from './deadline';
import { NOVELTY_TABLE } from './novelty';

export interface EventBudgetSettings {
  readonly eventsPerMinute: number;
  /** Events leased per store write. */
  readonly leaseEvents: number;
  /** Over budget, one request in this many is accepted as a sample. */
  readonly sampleOneIn: number;
  /** Events per minute one instance may accept while the store fails: the budget over the reserved concurrency. */
  readonly outageSharePerInstance: number;
}

/** `budget`: accept every event; `sample`: accept the first event only, without store writes; `refuse`: 429. */
export type BudgetVerdict = 'budget' | 'sample' | 'refuse';

export interface EventBudget {
  /**
   * The verdict before the request is read, when this instance knows the minute's budget is spent (the sample's draw
   * is made here), so a flood costs the least Lambda time; undefined when `admit` must be asked.
   */
  atOnce(nowMs: number): Exclude<BudgetVerdict, 'budget'> | undefined;
  admit(envName: string, events: number, nowMs: number): Promise<BudgetVerdict>;
}

export interface DynamoEventBudgetSettings extends EventBudgetSettings {
  readonly tableName: string;
  readonly timeoutMs: number;
}

const USED = 'eventsUsed';

export function dynamoEventBudget(
  client: DynamoDBClient,
  settings: DynamoEventBudgetSettings,
  random: () => number = Math.random,
): EventBudget {
  let minute = -1;
  let leased = 0;
  let spent = false;
  let outageUsed = 0;

  /** `leased`, `spent` (the minute's budget is gone) or `failed` (the store did not answer). */
  const lease = async (envName: string, size: number): Promise<'leased' | 'spent' | 'failed'> => {
    try {
      await withDeadline('DynamoDB UpdateItem (event budget)', settings.timeoutMs, (abortSignal) =>
        client.send(
          new UpdateItemCommand({
            TableName: settings.tableName,
            Key: { [NOVELTY_TABLE.partitionKey]: { S: `budget#${envName}#minute#${minute}` } },
            UpdateExpression: 'ADD #used :size SET #expiresAt = :expiresAt',
            ConditionExpression: 'attribute_not_exists(#used) OR #used <= :room',
            ExpressionAttributeNames: { '#used': USED, '#expiresAt': NOVELTY_TABLE.ttlAttribute },
            ExpressionAttributeValues: {
              ':size': { N: String(size) },
              ':room': { N: String(settings.eventsPerMinute - size) },
              ':expiresAt': { N: String((minute + 2) * 60) },
            },
          }),
          { abortSignal },
        ),
      );
      return 'leased';
    } catch (error) {
      const refused =
        error instanceof ConditionalCheckFailedException || (error as Error).name === 'ConditionalCheckFailedException';
      return refused ? 'spent' : 'failed';
    }
  };

  const roll = (nowMs: number) => {
    const now = Math.floor(nowMs / 60_000);
    if (now === minute) return;
    minute = now;
    leased = 0;
    spent = false;
    outageUsed = 0;
  };
  const draw = () => (random() * settings.sampleOneIn < 1 ? 'sample' : 'refuse');

  return {
    atOnce(nowMs) {
      roll(nowMs);
      return spent && leased === 0 ? draw() : undefined;
    },
    async admit(envName, events, nowMs) {
      roll(nowMs);
      if (leased < events && !spent) {
        const size = Math.min(Math.max(settings.leaseEvents, events - leased), settings.eventsPerMinute);
        const outcome = await lease(envName, size);
        if (outcome === 'leased') leased += size;
        if (outcome === 'spent') spent = true;
        if (outcome === 'failed' && outageUsed + events <= settings.outageSharePerInstance) {
          outageUsed += events;
          return 'budget';
        }
      }
      if (leased >= events) {
        leased -= events;
        return 'budget';
      }
      return draw();
    },
  };
}
