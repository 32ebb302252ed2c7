import { evaluateAlarm, judgeWindow, MetricAlarm } from '../../tools/analysis/alarm-evaluation';

const alarm = (overrides: Partial<MetricAlarm> = {}): MetricAlarm => ({
  AlarmName: 'miko-staging-critical-site-down',
  Namespace: 'MiKO/Synthetics',
  MetricName: 'Failure',
  Dimensions: [{ Name: 'Target', Value: 'site' }],
  Statistic: 'Maximum',
  Period: 10,
  EvaluationPeriods: 3,
  DatapointsToAlarm: 2,
  Threshold: 1,
  ComparisonOperator: 'GreaterThanOrEqualToThreshold',
  TreatMissingData: 'notBreaching',
  ...overrides,
});

describe('judging one evaluation window', () => {
  it('alarms when DatapointsToAlarm of the EvaluationPeriods breach', () => {
    expect(judgeWindow(alarm(), [[1], [0], [0, 1]])).toEqual({ state: 'ALARM', breaching: 2, needed: 2 });
    expect(judgeWindow(alarm(), [[1], [0], [0]])).toEqual({ state: 'OK', breaching: 1, needed: 2 });
  });

  it('treats missing periods per TreatMissingData', () => {
    const window = [undefined, [1], undefined];
    expect(judgeWindow(alarm({ TreatMissingData: 'breaching' }), window).state).toBe('ALARM');
    expect(judgeWindow(alarm({ TreatMissingData: 'notBreaching' }), window).state).toBe('OK');
    expect(judgeWindow(alarm({ TreatMissingData: 'missing' }), [undefined, undefined, undefined]).state).toBe(
      undefined,
    );
    expect(judgeWindow(alarm({ TreatMissingData: 'ignore' }), [undefined, undefined, undefined]).state).toBe(undefined);
    expect(judgeWindow(alarm({ TreatMissingData: 'notBreaching' }), [undefined, undefined]).state).toBe('OK');
  });

  it('computes the statistic and percentiles per period', () => {
    const latency = (statistic: Partial<MetricAlarm>) =>
      judgeWindow(alarm({ Threshold: 500, EvaluationPeriods: 1, DatapointsToAlarm: 1, ...statistic }), [
        [100, 200, 300, 400, 2000],
      ]).state;
    expect(latency({ Statistic: 'Average' })).toBe('ALARM'); // 600
    expect(latency({ Statistic: 'Minimum' })).toBe('OK');
    expect(latency({ Statistic: undefined, ExtendedStatistic: 'p80' })).toBe('OK'); // 400
    expect(latency({ Statistic: undefined, ExtendedStatistic: 'p90' })).toBe('ALARM'); // 2000
    expect(latency({ Statistic: 'SampleCount', Threshold: 5 })).toBe('ALARM');
    expect(latency({ Statistic: 'Sum', Threshold: 3001, ComparisonOperator: 'LessThanThreshold' })).toBe('ALARM');
  });

  it('refuses what it does not model instead of guessing', () => {
    expect(() => judgeWindow(alarm({ Statistic: 'TrimmedMean' }), [[1]])).toThrow(/statistic TrimmedMean/);
    expect(() => judgeWindow(alarm({ ComparisonOperator: 'LessThanLowerOrGreaterThanUpperThreshold' }), [[1]])).toThrow(
      /comparison/,
    );
    expect(() => evaluateAlarm(alarm({ MetricName: undefined }), [], 0, 60_000)).toThrow(/metric-math/);
  });
});

describe('evaluating an alarm over a series', () => {
  const at = (s: number, value: number, target = 'site') => ({
    timestampMs: 1_800_000_000_000 + s * 1000,
    namespace: 'MiKO/Synthetics',
    metricName: 'Failure',
    dimensions: { Target: target },
    value,
  });

  it('transitions at period boundaries aligned to the epoch, reading only its own dimension set', () => {
    const start = 1_800_000_000_000;
    const series = [at(1, 1), at(12, 1), at(15, 1, 'asset'), at(25, 0), at(35, 0), at(45, 0)];
    expect(evaluateAlarm(alarm(), series, start, start + 60_000)).toEqual([
      { atMs: start + 20_000, state: 'ALARM' },
      { atMs: start + 40_000, state: 'OK' },
    ]);
    expect(evaluateAlarm(alarm(), [at(1, 1), at(2, 1, 'asset')], start, start + 60_000)).toEqual([]);
  });
});
