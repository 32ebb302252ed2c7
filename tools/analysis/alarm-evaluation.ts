/**
 * A synthesized metric alarm evaluated over a series of datapoints the way CloudWatch does: datapoints grouped into
 * periods aligned to the epoch, the alarm's statistic per period, missing periods per `TreatMissingData`, and ALARM
 * when `DatapointsToAlarm` of the last `EvaluationPeriods` periods breach. For attack tests and rehearsals: what a
 * series of events would have done to the deployed alarms, without AWS. Metric-math and composite alarms are not
 * modeled (and say so).
 */

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

/** The datapoints of embedded-metric-format lines (each metric once per dimension set it is declared under). */
export function datapointsOfEmfLines(lines: ReadonlyArray<Record<string, any>>): Datapoint[] {
  return lines.flatMap((line) =>
    (line._aws?.CloudWatchMetrics ?? []).flatMap((directive: any) =>
      (directive.Dimensions as string[][]).flatMap((dimensionNames) =>
        (directive.Metrics as Array<{ Name: string }>).map((metric) => ({
          timestampMs: line._aws.Timestamp,
          namespace: directive.Namespace,
          metricName: metric.Name,
          dimensions: Object.fromEntries(dimensionNames.map((name) => [name, String(line[name])])),
          value: Number(line[metric.Name]),
        })),
      ),
    ),
  );
}

const sameDimensions = (a: Readonly<Record<string, string>>, b: Array<{ Name: string; Value: string }>) =>
  Object.keys(a).length === b.length && b.every((d) => a[d.Name] === d.Value);

function statistic(values: number[], alarm: any): number {
  const extended = /^p(\d+(\.\d+)?)$/.exec(alarm.ExtendedStatistic ?? '');
  if (extended) {
    const sorted = [...values].sort((x, y) => x - y);
    return sorted[Math.min(sorted.length - 1, Math.ceil((Number(extended[1]) / 100) * sorted.length) - 1)];
  }
  switch (alarm.Statistic) {
    case 'Sum':
      return values.reduce((s, v) => s + v, 0);
    case 'Maximum':
      return Math.max(...values);
    case 'Minimum':
      return Math.min(...values);
    case 'SampleCount':
      return values.length;
    case 'Average':
      return values.reduce((s, v) => s + v, 0) / values.length;
    default:
      throw new Error(`statistic ${alarm.Statistic ?? alarm.ExtendedStatistic} is not modeled`);
  }
}

function breaches(value: number, alarm: any): boolean {
  switch (alarm.ComparisonOperator) {
    case 'GreaterThanThreshold':
      return value > alarm.Threshold;
    case 'GreaterThanOrEqualToThreshold':
      return value >= alarm.Threshold;
    case 'LessThanThreshold':
      return value < alarm.Threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= alarm.Threshold;
    default:
      throw new Error(`comparison ${alarm.ComparisonOperator} is not modeled`);
  }
}

/** Whether an alarm reads this datapoint (its namespace, metric and exact dimension set). */
export function readsDatapoint(alarm: any, datapoint: Datapoint): boolean {
  return (
    alarm.Namespace === datapoint.namespace &&
    alarm.MetricName === datapoint.metricName &&
    sameDimensions(datapoint.dimensions, alarm.Dimensions ?? [])
  );
}

/**
 * The alarm's state changes over [fromMs, toMs), starting OK, evaluated at every period boundary.
 * `alarm` is the synthesized `AWS::CloudWatch::Alarm`'s Properties.
 */
export function evaluateAlarm(
  alarm: any,
  datapoints: readonly Datapoint[],
  fromMs: number,
  toMs: number,
): AlarmTransition[] {
  if (!alarm.MetricName) throw new Error(`${alarm.AlarmName}: metric-math alarms are not modeled`);
  const periodMs = alarm.Period * 1000;
  const toAlarm = alarm.DatapointsToAlarm ?? alarm.EvaluationPeriods;
  const byPeriod = new Map<number, number[]>();
  for (const d of datapoints) {
    if (!readsDatapoint(alarm, d)) continue;
    const start = Math.floor(d.timestampMs / periodMs) * periodMs;
    byPeriod.set(start, [...(byPeriod.get(start) ?? []), d.value]);
  }
  const missing = alarm.TreatMissingData ?? 'missing';
  const transitions: AlarmTransition[] = [];
  let state: AlarmTransition['state'] = 'OK';
  const first = Math.floor(fromMs / periodMs) * periodMs;
  for (let end = first + periodMs; end <= toMs; end += periodMs) {
    const window: Array<boolean | undefined> = [];
    for (let i = alarm.EvaluationPeriods; i >= 1; i--) {
      const values = byPeriod.get(end - i * periodMs);
      if (values) window.push(breaches(statistic(values, alarm), alarm));
      else window.push(missing === 'breaching' ? true : missing === 'notBreaching' ? false : undefined);
    }
    const present = window.filter((w) => w !== undefined);
    if (present.length === 0) continue; // all missing, ignored: the state stays
    const next = window.filter((w) => w === true).length >= toAlarm ? 'ALARM' : 'OK';
    if (next !== state) transitions.push({ atMs: end, state: next });
    state = next;
  }
  return transitions;
}
