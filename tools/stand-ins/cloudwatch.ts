/**
 * CloudWatch as @aws-sdk/client-cloudwatch speaks it (AWS JSON 1.0, epoch-second timestamps): PutMetricData
 * (recorded, or a 500 when told) and DescribeAlarms (name and prefix filters, paging). Anything else is a 400, so an
 * SDK protocol change fails the tests.
 */
import type { ServerResponse } from 'node:http';
import { listenAws, LocalServer } from './http';

const TARGET_PREFIX = 'GraniteServiceVersion20100801.';
/** Alarms per DescribeAlarms page by default, small so the client's paging is exercised. */
const PAGE_SIZE = 2;
/** DescribeAlarms refuses more names in one call, as CloudWatch does. */
const MAX_ALARM_NAMES = 100;

export interface RecordedDatum {
  readonly namespace: string;
  readonly name: string;
  readonly value: number;
  readonly unit?: string;
  readonly timestampMs: number;
  readonly storageResolution?: number;
  readonly dimensions: Record<string, string>;
}

export interface FakeAlarm {
  readonly AlarmName: string;
  readonly StateValue: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
  readonly StateReason?: string;
  /** When StateValue last changed, epoch seconds (the SDK reads it as a Date). */
  readonly StateTransitionedTimestamp?: number;
  /** A composite alarm: answered only to a call whose AlarmTypes asks for composites, as CloudWatch does. */
  readonly composite?: true;
}

export interface CloudWatchOptions {
  /** Asked before each PutMetricData: true answers it with a 500. */
  readonly failNext?: () => boolean;
  /** Asked before every call: true answers 400 Throttling ("Rate exceeded", no Retry-After), as CloudWatch does. */
  readonly throttleNext?: () => boolean;
  /** What DescribeAlarms answers from; the test may change it while the server runs. */
  readonly alarms?: FakeAlarm[];
  /** Every DescribeAlarms input, in order. */
  readonly describeRequests?: unknown[];
  /** Alarms per DescribeAlarms page (CloudWatch's MaxRecords allows up to 100). */
  readonly pageSize?: number;
}

interface PutMetricDataInput {
  Namespace: string;
  MetricData: Array<{
    MetricName: string;
    Value: number;
    Unit?: string;
    Timestamp: number | string;
    StorageResolution?: number;
    Dimensions?: Array<{ Name: string; Value: string }>;
  }>;
}

interface DescribeAlarmsInput {
  AlarmTypes?: string[];
  AlarmNamePrefix?: string;
  AlarmNames?: string[];
  NextToken?: string;
}

function answer(res: ServerResponse, status: number, payload: object): void {
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify(payload));
}

function describeAlarms(alarms: readonly FakeAlarm[], input: DescribeAlarmsInput, pageSize: number): object {
  // Without AlarmTypes, CloudWatch answers metric alarms only, even where composites exist.
  const types = input.AlarmTypes?.length ? input.AlarmTypes : ['MetricAlarm'];
  const matching = alarms.filter(
    (a) =>
      types.includes(a.composite ? 'CompositeAlarm' : 'MetricAlarm') &&
      (input.AlarmNamePrefix ? a.AlarmName.startsWith(input.AlarmNamePrefix) : true) &&
      (input.AlarmNames ? input.AlarmNames.includes(a.AlarmName) : true),
  );
  const start = Number(input.NextToken ?? 0);
  const next = start + pageSize < matching.length ? String(start + pageSize) : undefined;
  const page = matching.slice(start, start + pageSize);
  const described = (list: FakeAlarm[]) =>
    list.map(({ composite: _, ...a }) => ({
      ...a,
      AlarmArn: `arn:aws:cloudwatch:us-east-1:111111111111:alarm:${a.AlarmName}`,
      StateUpdatedTimestamp: 1_795_000_000,
      StateTransitionedTimestamp: a.StateTransitionedTimestamp ?? 1_795_000_000,
    }));
  return {
    MetricAlarms: described(page.filter((a) => !a.composite)),
    CompositeAlarms: described(page.filter((a) => a.composite)),
    ...(next ? { NextToken: next } : {}),
  };
}

const recorded = (input: PutMetricDataInput): RecordedDatum[] =>
  input.MetricData.map((d) => ({
    namespace: input.Namespace,
    name: d.MetricName,
    value: d.Value,
    unit: d.Unit,
    timestampMs: typeof d.Timestamp === 'number' ? d.Timestamp * 1000 : Date.parse(d.Timestamp),
    storageResolution: d.StorageResolution,
    dimensions: Object.fromEntries((d.Dimensions ?? []).map((x) => [x.Name, x.Value])),
  }));

export async function startCloudWatch(
  options: CloudWatchOptions = {},
): Promise<LocalServer & { datapoints: RecordedDatum[] }> {
  const datapoints: RecordedDatum[] = [];
  const local = await listenAws((call, res, req) => {
    const wellFormed =
      req.method === 'POST' &&
      call.protocol === 'json-1.0' &&
      `${call.service}.` === TARGET_PREFIX &&
      String(req.headers.authorization).startsWith('AWS4-HMAC-SHA256');
    const action = wellFormed ? call.operation : undefined;
    if (action && options.throttleNext?.()) {
      res.setHeader('x-amzn-query-error', 'Throttling;Sender');
      return answer(res, 400, { __type: 'com.amazonaws.cloudwatch#Throttling', message: 'Rate exceeded' });
    }
    if (action === 'PutMetricData') {
      if (options.failNext?.())
        return answer(res, 500, { __type: 'com.amazonaws.cloudwatch#InternalServiceFault', message: 'boom' });
      datapoints.push(...recorded(call.input as PutMetricDataInput));
      return answer(res, 200, {});
    }
    if (action === 'DescribeAlarms') {
      const input = call.input as DescribeAlarmsInput;
      options.describeRequests?.push(input);
      if ((input.AlarmNames?.length ?? 0) > MAX_ALARM_NAMES)
        return answer(res, 400, {
          __type: 'com.amazonaws.cloudwatch#ValidationError',
          message: `1 validation error detected: Value at 'alarmNames' failed to satisfy constraint: Member must have length less than or equal to ${MAX_ALARM_NAMES}`,
        });
      return answer(res, 200, describeAlarms(options.alarms ?? [], input, options.pageSize ?? PAGE_SIZE));
    }
    answer(res, 400, {
      __type: 'com.amazonaws.cloudwatch#InvalidAction',
      message: `unexpected request ${req.method} ${req.headers['x-amz-target']}`,
    });
  });
  return { ...local, datapoints };
}

/** The alarm side alone, as verify's tests use it. */
export const startFakeCloudWatch = (
  alarms: FakeAlarm[],
  describeRequests: unknown[] = [],
  options: Pick<CloudWatchOptions, 'throttleNext' | 'pageSize'> = {},
) => startCloudWatch({ alarms, describeRequests, ...options });
