/**
 * CloudWatch (JSON 1.0) evaluating the SYNTHESIZED alarms with periods divided by `scale` (timestamps answered are
 * modeled ones): PutMetricData stores datapoints, `evaluate()` judges alarms at period boundaries
 * (alarm-evaluation.ts), DescribeAlarms answers. Alarms on metrics the rehearsal never publishes stay OK, saying so;
 * a Lambda ALARM action calls `invoke` with CloudWatch's event.
 */
import type { AlarmActionEvent } from '../../lambda/canary-abort/abort';
import { CANARY_CHECK_NAMESPACE } from '../../lib/monitoring/canary-check-metric';
import { SYNTHETICS_NAMESPACE } from '../../lambda/prober/metrics';
import { OWN_METRIC_PUBLICATION_S } from '../analysis/time-to-detect';
import { Datapoint, judgeWindow, MetricAlarm, valuesByPeriod } from '../analysis/alarm-evaluation';
import { listenAws, LocalServer } from './http';

export interface AlarmDefinition extends MetricAlarm {
  readonly AlarmName: string;
  readonly AlarmDescription?: string;
  /** Whether the alarm pages critical (its ALARM action is the critical topic). */
  readonly critical: boolean;
  /** Logical id of the Lambda function its ALARM action invokes (the canary abort function), if any. */
  readonly invokes?: string;
}

/** PutMetricData as the SDK sends it (AWS JSON 1.0: epoch-second or ISO timestamps). */
interface PutMetricDataRequest {
  readonly Namespace: string;
  readonly MetricData?: ReadonlyArray<{
    readonly MetricName: string;
    readonly Value: number;
    readonly Timestamp?: number | string;
    readonly Dimensions?: ReadonlyArray<{ readonly Name: string; readonly Value: string }>;
  }>;
}

/** A Lambda alarm action: the function's logical id and the event CloudWatch sends it. */
export type LambdaAlarmAction = (functionId: string, event: AlarmActionEvent) => void;

/** The namespaces something in a rehearsal publishes to: the prober's, and verify's verdict on a canary. */
const PUBLISHED_NAMESPACES: ReadonlySet<string> = new Set([SYNTHETICS_NAMESPACE, CANARY_CHECK_NAMESPACE]);

export interface AlarmState {
  state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
  reason: string;
  /** Real epoch ms of the last transition. */
  transitionedAt: number;
}

export interface Transition {
  readonly alarm: AlarmDefinition;
  readonly to: AlarmState['state'];
  readonly reason: string;
  /** Real epoch ms. */
  readonly at: number;
}

/** PutMetricData to visible-to-alarms (lib/monitoring/time-to-detect.ts OWN_METRIC_PUBLICATION_S). */
const PUBLICATION_MODELED_S = OWN_METRIC_PUBLICATION_S;

export class FakeCloudWatch {
  readonly datapoints: Datapoint[] = [];
  readonly states = new Map<string, AlarmState>();
  readonly transitions: Transition[] = [];
  private server?: LocalServer;
  private timer?: NodeJS.Timeout;

  /** `originMs`: real time the periods are aligned to; `scale`: modeled seconds per real second. */
  constructor(
    readonly alarms: readonly AlarmDefinition[],
    readonly scale: number,
    readonly originMs: number = Date.now(),
    private readonly invoke?: LambdaAlarmAction,
  ) {
    for (const alarm of alarms)
      this.states.set(alarm.AlarmName, {
        state: 'OK',
        reason: this.modeled(alarm) ? 'no breaching datapoints yet' : 'not modeled in the rehearsal (no metric source)',
        transitionedAt: originMs,
      });
  }

  /** Whether anything in the rehearsal publishes this alarm's metric. */
  modeled(alarm: AlarmDefinition): boolean {
    return PUBLISHED_NAMESPACES.has(alarm.Namespace ?? '') && alarm.Period !== undefined;
  }

  /** How long after a period ends it is judged: the modeled publication delay, never under 250 ms of local time. */
  private lagMs(): number {
    return Math.max(250, (PUBLICATION_MODELED_S * 1000) / this.scale);
  }

  /** Real epoch ms → modeled epoch ms (the clock an operator's tools read from this stand-in). */
  modeledTime(realMs: number): number {
    return this.originMs + (realMs - this.originMs) * this.scale;
  }

  async start(): Promise<string> {
    this.server = await listenAws(({ operation, input: body }, res) => {
      const json = (status: number, payload: object) =>
        res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.0' }).end(JSON.stringify(payload));
      if (operation === 'PutMetricData') {
        const input = body as PutMetricDataRequest;
        for (const d of input.MetricData ?? [])
          this.datapoints.push({
            namespace: input.Namespace,
            metricName: d.MetricName,
            dimensions: Object.fromEntries((d.Dimensions ?? []).map((x) => [x.Name, x.Value])),
            value: d.Value,
            timestampMs:
              typeof d.Timestamp === 'number'
                ? d.Timestamp * 1000
                : Date.parse(d.Timestamp ?? new Date().toISOString()),
          });
        return json(200, {});
      }
      if (operation === 'DescribeAlarms') return json(200, this.describe(body));
      return json(400, {
        __type: 'com.amazonaws.cloudwatch#InvalidAction',
        message: `the stand-in does not implement ${operation}`,
      });
    });
    return this.server.url;
  }

  /** Evaluates every modeled alarm at least four times per (scaled) shortest period, until stop(). */
  run(): void {
    const shortest = Math.min(
      ...this.alarms.filter((a) => this.modeled(a)).map((a) => (a.Period! * 1000) / this.scale),
    );
    this.timer = setInterval(() => this.evaluate(Date.now()), Math.max(20, Math.min(100, shortest / 4)));
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.server?.close();
  }

  /** Judges every modeled alarm on the periods complete at real time `nowMs`; records transitions. */
  evaluate(nowMs: number): void {
    for (const alarm of this.alarms.filter((a) => this.modeled(a))) {
      const periodMs = (alarm.Period! * 1000) / this.scale;
      // Like CloudWatch, judge a period only once its datapoints can have arrived (a probe and its publication).
      const lastComplete = Math.floor((nowMs - this.lagMs() - this.originMs) / periodMs);
      const byPeriod = valuesByPeriod(alarm, this.datapoints, this.originMs, periodMs);
      const periods: Array<number[] | undefined> = [];
      // Periods before the rehearsal started hold nothing to judge: they are not missing data.
      for (let p = Math.max(0, lastComplete - alarm.EvaluationPeriods); p < lastComplete; p++)
        periods.push(byPeriod.get(p));
      const { state, breaching, needed } = judgeWindow(alarm, periods);
      const current = this.states.get(alarm.AlarmName)!;
      const next = state ?? current.state;
      if (next !== current.state) {
        const reason = `${breaching} of the last ${alarm.EvaluationPeriods} period(s) of ${alarm.Period} s breached (${needed} needed)`;
        this.states.set(alarm.AlarmName, { state: next, reason, transitionedAt: nowMs });
        this.transitions.push({ alarm, to: next, reason, at: nowMs });
        if (next === 'ALARM' && alarm.invokes)
          this.invoke?.(alarm.invokes, {
            alarmArn: this.arnOf(alarm),
            alarmData: { alarmName: alarm.AlarmName, state: { value: next, reason } },
          });
      }
    }
  }

  private arnOf(alarm: AlarmDefinition): string {
    return `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${alarm.AlarmName}`;
  }

  private describe(input: { AlarmNamePrefix?: string; AlarmNames?: string[]; NextToken?: string }): object {
    const matching = this.alarms.filter(
      (a) =>
        (input.AlarmNamePrefix ? a.AlarmName.startsWith(input.AlarmNamePrefix) : true) &&
        (input.AlarmNames ? input.AlarmNames.includes(a.AlarmName) : true),
    );
    const start = Number(input.NextToken ?? 0);
    const page = matching.slice(start, start + 100);
    const next = start + 100 < matching.length ? String(start + 100) : undefined;
    return {
      MetricAlarms: page.map((a) => {
        const s = this.states.get(a.AlarmName)!;
        const at = this.modeledTime(s.transitionedAt) / 1000;
        return {
          AlarmName: a.AlarmName,
          AlarmArn: this.arnOf(a),
          AlarmDescription: a.AlarmDescription,
          StateValue: s.state,
          StateReason: s.reason,
          StateUpdatedTimestamp: at,
          StateTransitionedTimestamp: at,
        };
      }),
      CompositeAlarms: [],
      ...(next ? { NextToken: next } : {}),
    };
  }
}
