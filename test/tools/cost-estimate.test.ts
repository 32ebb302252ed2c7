import { alwaysFreeCredit, estimateMonthlyCost, totalUsd } from '../../scripts/cost/estimate';
import { PRICES } from '../../scripts/cost/prices';

const PROBER = { secondsPerInvocation: 65, putMetricDataCallsPerInvocation: 6, customMetrics: 10 };

const line = (lines: ReturnType<typeof estimateMonthlyCost>, item: RegExp) => lines.find((l) => item.test(l.item));

describe('fixed monthly cost estimate', () => {
  it('prices 10-second alarms as high resolution and 60-second ones as standard, per metric', () => {
    const lines = estimateMonthlyCost(
      [
        {
          Resources: {
            SiteDown: { Type: 'AWS::CloudWatch::Alarm', Properties: { Period: 10 } },
            ErrorRate: {
              Type: 'AWS::CloudWatch::Alarm',
              Properties: {
                Metrics: [{ MetricStat: { Period: 60 } }, { MetricStat: { Period: 60 } }, { Expression: 'm1/m2' }],
              },
            },
            Latency: { Type: 'AWS::CloudWatch::Alarm', Properties: { Period: 300 } },
          },
        },
      ],
      PROBER,
    );
    expect(line(lines, /high resolution/)).toMatchObject({
      quantity: 1,
      monthlyUsd: PRICES.alarmHighResolutionPerMetric,
    });
    expect(line(lines, /standard resolution/)).toMatchObject({ quantity: 3 });
    expect(line(lines, /standard resolution/)!.monthlyUsd).toBeCloseTo(3 * PRICES.alarmStandardPerMetric);
  });

  it('counts each paid Route 53 health check option', () => {
    const lines = estimateMonthlyCost(
      [
        {
          Resources: {
            Check: {
              Type: 'AWS::Route53::HealthCheck',
              Properties: { HealthCheckConfig: { Type: 'HTTPS_STR_MATCH', RequestInterval: 10, MeasureLatency: true } },
            },
          },
        },
      ],
      PROBER,
    );
    expect(line(lines, /options/)).toMatchObject({ quantity: 4, monthlyUsd: 4 * PRICES.healthCheckOptionNonAws });
  });

  it('prices a web ACL and each of its rules', () => {
    const lines = estimateMonthlyCost(
      [{ Resources: { Acl: { Type: 'AWS::WAFv2::WebACL', Properties: { Rules: [{}, {}, {}, {}, {}] } } } }],
      PROBER,
    );
    expect(totalUsd(lines)).toBeCloseTo(PRICES.wafWebAcl + 5 * PRICES.wafRule);
  });

  it('finds the every-minute prober and bounds its run time by its timeout', () => {
    const resources = {
      ProberFn: { Type: 'AWS::Lambda::Function', Properties: { MemorySize: 256, Timeout: 30 } },
      OtherFn: { Type: 'AWS::Lambda::Function', Properties: { MemorySize: 1024, Timeout: 900 } },
      Every: {
        Type: 'AWS::Events::Rule',
        Properties: { ScheduleExpression: 'rate(1 minute)', Targets: [{ Arn: { 'Fn::GetAtt': ['ProberFn', 'Arn'] } }] },
      },
    };
    const lines = estimateMonthlyCost([{ Resources: resources }], PROBER);
    const lambda = line(lines, /Prober Lambda time/)!;
    expect(lambda.item).toContain('256 MB, ~30 s');
    const invocations = (365 / 12) * 24 * 60;
    expect(lambda.monthlyUsd).toBeCloseTo(invocations * 30 * 0.25 * PRICES.lambdaArmGbSecond, 4);
    expect(line(lines, /Prober Lambda invocations/)!.quantity).toBe(Math.round(invocations));
    expect(line(lines, /PutMetricData/)!.quantity).toBe(Math.round(invocations * 6));
  });

  it("counts every custom metric an alarm watches outside AWS/* once, leaving the prober's namespace to the prober", () => {
    const alarmOn = (namespace: string, name: string, dims: object[] = []) => ({
      Type: 'AWS::CloudWatch::Alarm',
      Properties: { Namespace: namespace, MetricName: name, Dimensions: dims, Period: 300 },
    });
    const lines = estimateMonthlyCost(
      [
        {
          Resources: {
            A: alarmOn('MiKO/Secrets', 'DaysSinceRotation', [{ Name: 'Secret', Value: 'a' }]),
            B: alarmOn('MiKO/Secrets', 'DaysSinceRotation', [{ Name: 'Secret', Value: 'b' }]),
            C: alarmOn('MiKO/Secrets', 'DaysSinceRotation', [{ Name: 'Secret', Value: 'b' }]),
            D: alarmOn('AWS/Lambda', 'Errors'),
            E: alarmOn('MiKO/Synthetics', 'Failure'),
          },
        },
      ],
      PROBER,
    );
    expect(line(lines, /Other custom metrics/)!.quantity).toBe(2);
  });

  it("credits the account's permanent free allowances against the lines they cover, never more", () => {
    const credit = alwaysFreeCredit([
      { item: 'm', quantity: 4, monthlyUsd: 1.2, basis: '', unit: 'custom-metric' },
      { item: 'a', quantity: 30, monthlyUsd: 3, basis: '', unit: 'alarm-standard' },
      { item: 'h', quantity: 5, monthlyUsd: 1.5, basis: '', unit: 'alarm-high-resolution' },
    ]);
    // 4 metrics (under the 10 free) + 10 of the 30 standard alarms; high-resolution alarms are never free.
    expect(credit.monthlyUsd).toBeCloseTo(-(4 * PRICES.customMetric + 10 * PRICES.alarmStandardPerMetric));
  });

  it('leaves out what an environment does not have', () => {
    expect(estimateMonthlyCost([{ Resources: {} }], PROBER)).toEqual([]);
  });
});
