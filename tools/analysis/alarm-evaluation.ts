/**
 * The one CloudWatch-style judgement of a synthesized metric alarm (attack tests and the CloudWatch stand-in):
 * statistic per period against Threshold, ALARM when DatapointsToAlarm of the last EvaluationPeriods breach,
 * TreatMissingData 'missing'/'ignore' keep the state; INSUFFICIENT_DATA is not modeled; math/anomaly/composite throw.
 */

/** The Properties of a synthesized `AWS::CloudWatch::Alarm`, as far as they are judged here. */
export interface MetricAlarm {
  readonly AlarmName?: unknown;
  readonly Namespace?: string;
  readonly MetricName?: string;
  readonly Dimensions?: ReadonlyArray<{ readonly Name: string; readonly Value: unknown }>;
  readonly Statistic?: string;
  readonly ExtendedStatistic?: string;
  readonly Period?: number;
  readonly EvaluationPeriods: number;
  readonly DatapointsToAlarm?: number;
  readonly Threshold?: number;
  readonly ComparisonOperator: string;
  readonly TreatMissingData?: string;
}

export interface Datapoint {
  readonly timestampMs: number;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface AlarmTransition {
  readonly atMs: number;
  readonly state: 'OK' | 'ALARM';
}

/** One evaluation: the state it leads to (undefined: every period missing and the state stays), and why. */
export interface Judgement {
  readonly state: AlarmTransition['state'] | undefined;
  readonly breaching: number;
  readonly needed: number;
}

interface EmfDirective {
  readonly Namespace: string;
  readonly Dimensions: string[][];
  readonly Metrics: Array<{ Name: string }>;
}

/** A log line in embedded metric format: `_aws` declares the metrics, whose values are fields of the line. */
interface EmfLine {
  readonly _aws?: { readonly Timestamp: number; readonly CloudWatchMetrics?: readonly EmfDirective[] };
  readonly [field: string]: unknown;
}

/** The datapoints of embedded-metric-format lines (each metric once per dimension set it is declared under). */
export function datapointsOfEmfLines(lines: readonly EmfLine[]): Datapoint[] {
  return lines.flatMap((line) => {
    const aws = line._aws;
    if (!aws) return [];
    return (aws.CloudWatchMetrics ?? []).flatMap((directive) =>
      directive.Dimensions.flatMap((dimensionNames) =>
        directive.Metrics.map((metric) => ({
          timestampMs: aws.Timestamp,
          namespace: directive.Namespace,
          metricName: metric.Name,
          dimensions: Object.fromEntries(dimensionNames.map((name) => [name, String(line[name])])),
          value: Number(line[metric.Name]),
        })),
      ),
    );
  });
}

const nameOf = (alarm: MetricAlarm) => (typeof alarm.AlarmName === 'string' ? alarm.AlarmName : 'an unnamed alarm');

function statistic(values: readonly number[], alarm: MetricAlarm): number {
  const sorted = [...values].sort((x, y) => x - y);
  const percentile = /^p(\d+(?:\.\d+)?)$/.exec(alarm.ExtendedStatistic ?? '');
  if (percentile)
    return sorted[Math.min(sorted.length - 1, Math.ceil((Number(percentile[1]) / 100) * sorted.length) - 1)];
  switch (alarm.Statistic) {
    case 'Sum':
      return values.reduce((s, v) => s + v, 0);
    case 'Maximum':
      return sorted[sorted.length - 1];
    case 'Minimum':
      return sorted[0];
    case 'SampleCount':
      return values.length;
    case 'Average':
      return values.reduce((s, v) => s + v, 0) / values.length;
    default:
      throw new Error(`${nameOf(alarm)}: statistic ${alarm.Statistic ?? alarm.ExtendedStatistic} is not modeled`);
  }
}

const COMPARE: Readonly<Record<string, (value: number, threshold: number) => boolean>> = {
  GreaterThanThreshold: (v, t) => v > t,
  GreaterThanOrEqualToThreshold: (v, t) => v >= t,
  LessThanThreshold: (v, t) => v < t,
  LessThanOrEqualToThreshold: (v, t) => v <= t,
};

/** Whether an alarm reads this datapoint (its namespace, metric and exact dimension set). */
export function readsDatapoint(alarm: MetricAlarm, datapoint: Datapoint): boolean {
  const wanted = alarm.Dimensions ?? [];
  return (
    alarm.Namespace === datapoint.namespace &&
    alarm.MetricName === datapoint.metricName &&
    Object.keys(datapoint.dimensions).length === wanted.length &&
    wanted.every((d) => datapoint.dimensions[d.Name] === String(d.Value))
  );
}

/** The alarm's period in ms; throws for the alarms not judged here. */
export function periodMsOf(alarm: MetricAlarm): number {
  if (!alarm.MetricName || alarm.Period === undefined)
    throw new Error(`${nameOf(alarm)}: metric-math alarms are not modeled`);
  return alarm.Period * 1000;
}

/** One evaluation over the values of the last periods, oldest first (undefined: no datapoint in that period). */
export function judgeWindow(alarm: MetricAlarm, periods: ReadonlyArray<readonly number[] | undefined>): Judgement {
  const compare = COMPARE[alarm.ComparisonOperator];
  if (!compare || alarm.Threshold === undefined)
    throw new Error(`${nameOf(alarm)}: comparison ${alarm.ComparisonOperator} is not modeled`);
  const missing = alarm.TreatMissingData ?? 'missing';
  const breaching = periods.filter((values) =>
    values ? compare(statistic(values, alarm), alarm.Threshold!) : missing === 'breaching',
  ).length;
  const needed = alarm.DatapointsToAlarm ?? alarm.EvaluationPeriods;
  const keepsState = periods.every((v) => v === undefined) && (missing === 'missing' || missing === 'ignore');
  return { state: keepsState ? undefined : breaching >= needed ? 'ALARM' : 'OK', breaching, needed };
}

/** The values the alarm reads, by period index: period n spans [originMs + n·periodMs, originMs + (n+1)·periodMs). */
export function valuesByPeriod(
  alarm: MetricAlarm,
  datapoints: readonly Datapoint[],
  originMs: number,
  periodMs: number,
): Map<number, number[]> {
  const byPeriod = new Map<number, number[]>();
  for (const d of datapoints) {
    if (!readsDatapoint(alarm, d)) continue;
    const index = Math.floor((d.timestampMs - originMs) / periodMs);
    byPeriod.set(index, [...(byPeriod.get(index) ?? []), d.value]);
  }
  return byPeriod;
}

/**
 * The alarm's state changes over [fromMs, toMs), starting OK, judged at every period boundary (periods aligned to
 * the epoch, as CloudWatch aligns them).
 */
export function evaluateAlarm(
  alarm: MetricAlarm,
  datapoints: readonly Datapoint[],
  fromMs: number,
  toMs: number,
): AlarmTransition[] {
  const periodMs = periodMsOf(alarm);
  const byPeriod = valuesByPeriod(alarm, datapoints, 0, periodMs);
  const transitions: AlarmTransition[] = [];
  let state: AlarmTransition['state'] = 'OK';
  for (let end = Math.floor(fromMs / periodMs) + 1; end * periodMs <= toMs; end++) {
    const periods: Array<number[] | undefined> = [];
    for (let p = end - alarm.EvaluationPeriods; p < end; p++) periods.push(byPeriod.get(p));
    const next: AlarmTransition['state'] = judgeWindow(alarm, periods).state ?? state;
    if (next !== state) transitions.push({ atMs: end * periodMs, state: next });
    state = next;
  }
  return transitions;
}
