/**
 * A local stand-in for CloudWatch speaking the protocol @aws-sdk/client-cloudwatch uses: AWS JSON 1.0
 * (`X-Amz-Target: GraniteServiceVersion20100801.DescribeAlarms`, query-compatible errors), with paging.
 */
import { LocalServer, startLocalServer } from './local-server';

export interface FakeAlarm {
  readonly AlarmName: string;
  readonly StateValue: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
  readonly StateReason?: string;
  /** When StateValue last changed, epoch seconds (the SDK reads it as a Date). */
  readonly StateTransitionedTimestamp?: number;
}

/** Alarms per page, small so the client's paging is exercised. */
const PAGE_SIZE = 2;

export function startFakeCloudWatch(
  alarms: FakeAlarm[],
  requests: any[] = [],
  options: {
    /** Answer the next DescribeAlarms 400 Throttling ("Rate exceeded", no Retry-After) when it returns true. */
    throttleNext?: () => boolean;
  } = {},
): Promise<LocalServer> {
  return startLocalServer((req, body, res) => {
    const json = (status: number, payload: object) =>
      res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.0' }).end(JSON.stringify(payload));
    if (
      req.method !== 'POST' ||
      req.headers['x-amz-target'] !== 'GraniteServiceVersion20100801.DescribeAlarms' ||
      req.headers['content-type'] !== 'application/x-amz-json-1.0' ||
      !String(req.headers.authorization).startsWith('AWS4-HMAC-SHA256')
    ) {
      json(400, {
        __type: 'com.amazonaws.cloudwatch#InvalidParameterValueException',
        message: `unexpected request ${req.method} ${req.headers['x-amz-target']}`,
      });
      return;
    }
    const input = JSON.parse(body);
    requests.push(input);
    if (options.throttleNext?.()) {
      res
        .writeHead(400, { 'Content-Type': 'application/x-amz-json-1.0', 'x-amzn-query-error': 'Throttling;Sender' })
        .end(JSON.stringify({ __type: 'com.amazonaws.cloudwatch#Throttling', message: 'Rate exceeded' }));
      return;
    }
    const matching = alarms.filter(
      (a) =>
        (input.AlarmNamePrefix ? a.AlarmName.startsWith(input.AlarmNamePrefix) : true) &&
        (input.AlarmNames ? input.AlarmNames.includes(a.AlarmName) : true),
    );
    const start = Number(input.NextToken ?? 0);
    const page = matching.slice(start, start + PAGE_SIZE);
    const next = start + PAGE_SIZE < matching.length ? String(start + PAGE_SIZE) : undefined;
    json(200, {
      MetricAlarms: page.map((a) => ({
        ...a,
        AlarmArn: `arn:aws:cloudwatch:us-east-1:111111111111:alarm:${a.AlarmName}`,
        StateUpdatedTimestamp: 1_795_000_000,
        StateTransitionedTimestamp: a.StateTransitionedTimestamp ?? 1_795_000_000,
      })),
      CompositeAlarms: [],
      ...(next ? { NextToken: next } : {}),
    });
  });
}
