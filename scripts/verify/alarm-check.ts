/**
 * No alarm of the environment may be in ALARM after a deploy. Reads them with CloudWatch DescribeAlarms; the SDK
 * honours AWS_ENDPOINT_URL_CLOUDWATCH (and AWS_ENDPOINT_URL), which is how tests aim it at a local stand-in.
 */
import { CloudWatchClient, DescribeAlarmsCommand, DescribeAlarmsCommandInput } from '@aws-sdk/client-cloudwatch';
import { isMissingCredentials } from '../lib/aws-access';
import { CheckResult, fail, pass } from './check';

/** DescribeAlarms pages hold at most 100 alarms; 20 pages is far beyond this app and bounds a misbehaving endpoint. */
const MAX_PAGES = 20;
/** DescribeAlarms accepts at most 100 names per call. */
const MAX_NAMES_PER_CALL = 100;

export interface AlarmSelection {
  /** CloudFormation names unnamed alarms `<stack name>-<logical id>-<suffix>`, so `Staging-` covers all of them. */
  readonly namePrefix: string;
  /** Alarms the templates name explicitly; those outside the prefix are asked for by name. */
  readonly explicitNames: readonly string[];
}

interface Alarm {
  readonly name: string;
  readonly state: string;
  readonly reason?: string;
}

async function describe(client: CloudWatchClient, input: DescribeAlarmsCommandInput): Promise<Alarm[]> {
  const alarms: Alarm[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const out = await client.send(new DescribeAlarmsCommand({ ...input, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], NextToken: nextToken }));
    for (const a of [...(out.MetricAlarms ?? []), ...(out.CompositeAlarms ?? [])]) {
      alarms.push({ name: a.AlarmName ?? '?', state: a.StateValue ?? '?', reason: a.StateReason });
    }
    nextToken = out.NextToken;
    if (!nextToken) return alarms;
  }
  throw new Error(`DescribeAlarms still paging after ${MAX_PAGES} pages`);
}

export async function checkAlarms(client: CloudWatchClient, selection: AlarmSelection): Promise<CheckResult> {
  const name = `alarms ${selection.namePrefix}*`;
  try {
    const found = new Map<string, Alarm>();
    for (const alarm of await describe(client, { AlarmNamePrefix: selection.namePrefix })) found.set(alarm.name, alarm);
    const outside = selection.explicitNames.filter((n) => !n.startsWith(selection.namePrefix));
    for (let i = 0; i < outside.length; i += MAX_NAMES_PER_CALL) {
      for (const alarm of await describe(client, { AlarmNames: outside.slice(i, i + MAX_NAMES_PER_CALL) })) found.set(alarm.name, alarm);
    }
    const missing = selection.explicitNames.filter((n) => !found.has(n));
    const firing = [...found.values()].filter((a) => a.state === 'ALARM');
    if (firing.length > 0) {
      return fail(name, `${firing.length} of ${found.size} in ALARM: ${firing.map((a) => `${a.name}${a.reason ? ` (${a.reason})` : ''}`).join('; ')}`);
    }
    if (missing.length > 0) return fail(name, `not deployed (expected from the templates): ${missing.join(', ')}`);
    return pass(name, `${found.size} alarm(s), none in ALARM`);
  } catch (error) {
    if (isMissingCredentials(error)) {
      return fail(name, 'cannot read alarms: no AWS credentials. Fix: `export AWS_PROFILE=<your profile for the account>` and `aws sso login`, or pass --skip-alarms to check the site only.');
    }
    return fail(name, `cannot read alarms: ${(error as Error).message}`);
  }
}
