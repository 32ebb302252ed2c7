/**
 * Judges the release by the environment's CRITICAL alarms (warnings never fail a deploy):
 *
 *  - a critical alarm already in ALARM before the deploy started is reported, not blamed on the release;
 *  - then it watches for the settle window (the slowest modeled time to detect among the alarms a release can set
 *    off, tools/analysis/release-alarms.ts) and fails as soon as one of those goes into ALARM;
 *  - a critical alarm the release cannot cause (database, rotation) that fires is reported, not blamed;
 *  - when CloudWatch cannot be read, or a critical alarm is not deployed, the answer is "could not check", which
 *    is not "release bad": the workflow rolls back only on the latter.
 *
 * After a rollback (`waitForClear`), it instead waits, bounded, for the release-related critical alarms to clear.
 * The SDK honours AWS_ENDPOINT_URL_CLOUDWATCH, which is how tests aim it at a local stand-in.
 */
import { CloudWatchClient, DescribeAlarmsCommand, DescribeAlarmsCommandInput } from '@aws-sdk/client-cloudwatch';
import { isMissingCredentials } from '../lib/aws-access';
import { CheckResult, couldNotCheck, fail, pass } from './check';

/** DescribeAlarms pages hold at most 100 alarms; 20 pages is far beyond this app and bounds a misbehaving endpoint. */
const MAX_PAGES = 20;
/** DescribeAlarms accepts at most 100 names per call. */
const MAX_NAMES_PER_CALL = 100;

/** A critical alarm from the templates (every alarm is named `miko-<env>-<severity>-<slug>`). */
export interface CriticalAlarm {
  readonly name: string;
  readonly releaseRelated: boolean;
}

export interface AlarmSelection {
  readonly critical: readonly CriticalAlarm[];
}

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface WatchOptions {
  /** When the deploy started: an alarm that went into ALARM before this is not the release's. */
  readonly since: Date;
  readonly settleSeconds: number;
  readonly pollSeconds: number;
  readonly clock?: Clock;
  /** Told about things worth knowing that do not decide the verdict. */
  readonly note?: (line: string) => void;
}

interface Alarm {
  readonly name: string;
  readonly state: string;
  readonly reason?: string;
  /** When StateValue last changed (StateTransitionedTimestamp; StateUpdatedTimestamp where absent). */
  readonly since?: Date;
}

interface CriticalState extends Alarm {
  readonly releaseRelated: boolean;
}

async function describe(client: CloudWatchClient, input: DescribeAlarmsCommandInput): Promise<Alarm[]> {
  const alarms: Alarm[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const out = await client.send(
      new DescribeAlarmsCommand({ ...input, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], NextToken: nextToken }),
    );
    for (const a of [...(out.MetricAlarms ?? []), ...(out.CompositeAlarms ?? [])]) {
      alarms.push({
        name: a.AlarmName ?? '?',
        state: a.StateValue ?? '?',
        reason: a.StateReason,
        since: a.StateTransitionedTimestamp ?? a.StateUpdatedTimestamp,
      });
    }
    nextToken = out.NextToken;
    if (!nextToken) return alarms;
  }
  throw new Error(`DescribeAlarms still paging after ${MAX_PAGES} pages`);
}

/** The critical alarms as deployed now; throws when one the templates declare is not there. */
async function readCritical(client: CloudWatchClient, selection: AlarmSelection): Promise<CriticalState[]> {
  const found = new Map<string, Alarm>();
  const names = selection.critical.map((c) => c.name);
  for (let i = 0; i < names.length; i += MAX_NAMES_PER_CALL) {
    for (const alarm of await describe(client, { AlarmNames: names.slice(i, i + MAX_NAMES_PER_CALL) }))
      found.set(alarm.name, alarm);
  }
  const missing: string[] = [];
  const states = selection.critical.flatMap((critical) => {
    const alarm = found.get(critical.name);
    if (!alarm) missing.push(critical.name);
    return alarm ? [{ ...alarm, releaseRelated: critical.releaseRelated }] : [];
  });
  if (missing.length > 0)
    throw new Error(`critical alarm(s) not deployed (expected from the templates): ${missing.join(', ')}`);
  return states;
}

const describeAlarm = (a: Alarm) => `${a.name}${a.reason ? ` (${a.reason})` : ''}`;
const firedSince = (a: Alarm, since: Date) => a.state === 'ALARM' && (!a.since || a.since.getTime() >= since.getTime());

export async function judgeAlarms(
  client: CloudWatchClient,
  selection: AlarmSelection,
  options: WatchOptions,
): Promise<CheckResult> {
  const name = 'critical alarms';
  const clock = options.clock ?? realClock;
  const note = options.note ?? (() => undefined);
  const started = clock.now();
  const deadline = started + options.settleSeconds * 1000;
  const reported = new Set<string>();
  try {
    let watched = 0;
    for (;;) {
      const states = await readCritical(client, selection);
      watched = states.length;
      for (const alarm of states.filter((a) => a.state === 'ALARM' && !reported.has(a.name))) {
        if (!firedSince(alarm, options.since))
          note(`already in ALARM before the deploy, not blamed on the release: ${describeAlarm(alarm)}`);
        else if (!alarm.releaseRelated)
          note(`in ALARM, but not something a release causes (still paging): ${describeAlarm(alarm)}`);
        else continue;
        reported.add(alarm.name);
      }
      const caused = states.filter((a) => a.releaseRelated && firedSince(a, options.since));
      const elapsed = Math.round((clock.now() - started) / 1000);
      if (caused.length > 0)
        return fail(
          name,
          `release-related critical alarm fired ${elapsed} s into the ${options.settleSeconds} s settle window: ${caused.map(describeAlarm).join('; ')}`,
        );
      if (clock.now() >= deadline) {
        return pass(
          name,
          `${watched} critical alarm(s) watched for the ${options.settleSeconds} s settle window; none fired because of the release`,
        );
      }
      await clock.sleep(Math.min(options.pollSeconds * 1000, deadline - clock.now()));
    }
  } catch (error) {
    if (isMissingCredentials(error)) {
      return couldNotCheck(
        name,
        'cannot read alarms: no AWS credentials. Fix: `export AWS_PROFILE=<your profile for the account>` and `aws sso login`, or pass --skip-alarms to check the site only.',
      );
    }
    return couldNotCheck(name, `cannot read alarms: ${(error as Error).message}`);
  }
}

/** After a rollback: waits, at most `timeoutSeconds`, until no release-related critical alarm is in ALARM. */
export async function waitForAlarmsToClear(
  client: CloudWatchClient,
  selection: AlarmSelection,
  options: { timeoutSeconds: number; pollSeconds: number; clock?: Clock },
): Promise<CheckResult> {
  const name = 'critical alarms cleared';
  const clock = options.clock ?? realClock;
  const started = clock.now();
  try {
    for (;;) {
      const firing = (await readCritical(client, selection)).filter((a) => a.releaseRelated && a.state === 'ALARM');
      const elapsed = Math.round((clock.now() - started) / 1000);
      if (firing.length === 0) return pass(name, `no release-related critical alarm in ALARM (after ${elapsed} s)`);
      if (elapsed >= options.timeoutSeconds)
        return fail(
          name,
          `still in ALARM after ${options.timeoutSeconds} s: ${firing.map(describeAlarm).join('; ')}. See docs/runbooks/site-down.md`,
        );
      await clock.sleep(Math.min(options.pollSeconds * 1000, started + options.timeoutSeconds * 1000 - clock.now()));
    }
  } catch (error) {
    if (isMissingCredentials(error)) {
      return couldNotCheck(
        name,
        'cannot read alarms: no AWS credentials. Fix: `export AWS_PROFILE=<your profile for the account>` and `aws sso login`, or pass --skip-alarms to check the site only.',
      );
    }
    return couldNotCheck(name, `cannot read alarms: ${(error as Error).message}`);
  }
}
