/**
 * A fixed monthly cost estimate for one environment, computed from its synthesized CloudFormation templates:
 * what the environment costs before any patient visits it. Traffic-priced items (CloudFront requests and bytes,
 * WAF requests, S3 requests, Lambda calls by visitors) are left out and say so.
 */
import { PRICES, SECONDS_PER_MONTH } from './prices';

export interface CostLine {
  readonly item: string;
  readonly quantity: number;
  readonly monthlyUsd: number;
  readonly basis: string;
}

type Resources = Record<string, { Type: string; Properties?: Record<string, any> }>;

/** The prober runs for most of each minute (it probes every 10 s and overlaps the next invocation). */
export interface ProberAssumptions {
  /** Seconds one invocation runs, at most its timeout. */
  readonly secondsPerInvocation: number;
  /** PutMetricData calls per invocation. */
  readonly putMetricDataCallsPerInvocation: number;
  /** Custom metrics it publishes (target × metric name × dimension set). */
  readonly customMetrics: number;
}

const perMonth = (ratePerMinute: number) => ratePerMinute * (SECONDS_PER_MONTH / 60);

function alarmMetricCount(properties: Record<string, any>): number {
  if (Array.isArray(properties.Metrics)) return properties.Metrics.filter((m: any) => m.MetricStat).length || 1;
  return 1;
}

function isHighResolution(properties: Record<string, any>): boolean {
  const periods: number[] = Array.isArray(properties.Metrics)
    ? properties.Metrics.map((m: any) => m.MetricStat?.Period).filter((p: unknown): p is number => typeof p === 'number')
    : [properties.Period];
  return periods.some((p) => p < 60);
}

function alarms(resources: Resources): CostLine[] {
  let standard = 0;
  let highResolution = 0;
  let composite = 0;
  for (const r of Object.values(resources)) {
    if (r.Type === 'AWS::CloudWatch::CompositeAlarm') composite++;
    if (r.Type !== 'AWS::CloudWatch::Alarm') continue;
    const metrics = alarmMetricCount(r.Properties ?? {});
    if (isHighResolution(r.Properties ?? {})) highResolution += metrics;
    else standard += metrics;
  }
  return [
    { item: 'CloudWatch alarms, standard resolution (metrics)', quantity: standard, monthlyUsd: standard * PRICES.alarmStandardPerMetric, basis: `$${PRICES.alarmStandardPerMetric}/metric` },
    { item: 'CloudWatch alarms, high resolution (metrics)', quantity: highResolution, monthlyUsd: highResolution * PRICES.alarmHighResolutionPerMetric, basis: `$${PRICES.alarmHighResolutionPerMetric}/metric` },
    { item: 'CloudWatch composite alarms', quantity: composite, monthlyUsd: composite * PRICES.compositeAlarm, basis: `$${PRICES.compositeAlarm}/alarm` },
  ];
}

function healthChecks(resources: Resources): CostLine[] {
  let checks = 0;
  let options = 0;
  for (const r of Object.values(resources)) {
    if (r.Type !== 'AWS::Route53::HealthCheck') continue;
    checks++;
    const config = r.Properties?.HealthCheckConfig ?? {};
    const type = String(config.Type ?? '');
    if (type.startsWith('HTTPS')) options++;
    if (type.endsWith('STR_MATCH')) options++;
    if (config.RequestInterval === 10) options++;
    if (config.MeasureLatency) options++;
  }
  return [
    { item: 'Route 53 health checks', quantity: checks, monthlyUsd: checks * PRICES.healthCheckNonAws, basis: `$${PRICES.healthCheckNonAws}/check (non-AWS endpoint)` },
    { item: 'Route 53 health check options (HTTPS, string match, 10 s, latency)', quantity: options, monthlyUsd: options * PRICES.healthCheckOptionNonAws, basis: `$${PRICES.healthCheckOptionNonAws}/option` },
  ];
}

function waf(resources: Resources): CostLine[] {
  const acls = Object.values(resources).filter((r) => r.Type === 'AWS::WAFv2::WebACL');
  const rules = acls.reduce((n, acl) => n + (acl.Properties?.Rules?.length ?? 0), 0);
  return [
    { item: 'WAF web ACLs', quantity: acls.length, monthlyUsd: acls.length * PRICES.wafWebAcl, basis: `$${PRICES.wafWebAcl}/ACL` },
    { item: 'WAF rules and managed rule groups', quantity: rules, monthlyUsd: rules * PRICES.wafRule, basis: `$${PRICES.wafRule}/rule` },
  ];
}

function counted(resources: Resources, type: string, item: string, price: number, basis: string): CostLine {
  const quantity = Object.values(resources).filter((r) => r.Type === type).length;
  return { item, quantity, monthlyUsd: quantity * price, basis };
}

function kmsKeys(resources: Resources): CostLine {
  const keys = Object.values(resources).filter((r) => r.Type === 'AWS::KMS::Key');
  const monthly = keys.reduce((sum, k) => sum + (k.Properties?.EnableKeyRotation ? PRICES.kmsRotatedKeyCap : PRICES.kmsKey), 0);
  return { item: 'KMS customer-managed keys', quantity: keys.length, monthlyUsd: monthly, basis: `$${PRICES.kmsKey}/key, ≤ $${PRICES.kmsRotatedKeyCap} once rotated twice` };
}

/** Functions started by a schedule (EventBridge rule or Scheduler) every minute: the prober. */
function scheduledEveryMinute(resources: Resources): Array<{ memoryMb: number; timeoutSeconds: number }> {
  const isEveryMinute = (expression: unknown) => typeof expression === 'string' && /^rate\(1 minute\)$|^cron\(\* \* \* \* \? \*\)$/.test(expression);
  const targets = new Set<string>();
  for (const r of Object.values(resources)) {
    if (r.Type === 'AWS::Events::Rule' && isEveryMinute(r.Properties?.ScheduleExpression)) {
      for (const t of r.Properties?.Targets ?? []) targets.add(JSON.stringify(t.Arn));
    }
    if (r.Type === 'AWS::Scheduler::Schedule' && isEveryMinute(r.Properties?.ScheduleExpression)) targets.add(JSON.stringify(r.Properties?.Target?.Arn));
  }
  return Object.entries(resources)
    .filter(([id, r]) => r.Type === 'AWS::Lambda::Function' && targets.has(JSON.stringify({ 'Fn::GetAtt': [id, 'Arn'] })))
    .map(([, r]) => ({ memoryMb: r.Properties?.MemorySize ?? 128, timeoutSeconds: r.Properties?.Timeout ?? 3 }));
}

function prober(resources: Resources, assumptions: ProberAssumptions): CostLine[] {
  return scheduledEveryMinute(resources).flatMap(({ memoryMb, timeoutSeconds }) => {
    const invocations = perMonth(1);
    const seconds = Math.min(assumptions.secondsPerInvocation, timeoutSeconds);
    const gbSeconds = invocations * seconds * (memoryMb / 1024);
    const calls = invocations * assumptions.putMetricDataCallsPerInvocation;
    return [
      { item: `Prober Lambda (${memoryMb} MB, ~${seconds} s a minute)`, quantity: Math.round(invocations), monthlyUsd: gbSeconds * PRICES.lambdaArmGbSecond + invocations * PRICES.lambdaRequest, basis: 'arm64 GB-seconds + requests' },
      { item: 'Prober PutMetricData calls', quantity: Math.round(calls), monthlyUsd: (calls / 1000) * PRICES.cloudWatchApiPer1000, basis: `$${PRICES.cloudWatchApiPer1000}/1,000 calls` },
      { item: 'Prober custom metrics', quantity: assumptions.customMetrics, monthlyUsd: assumptions.customMetrics * PRICES.customMetric, basis: `$${PRICES.customMetric}/metric` },
    ];
  });
}

/** Every fixed-cost line for one environment's templates (all of its stacks' Resources merged). */
export function estimateMonthlyCost(templates: ReadonlyArray<{ Resources?: Resources }>, assumptions: ProberAssumptions): CostLine[] {
  const resources: Resources = Object.assign({}, ...templates.map((t) => t.Resources ?? {}));
  return [
    ...alarms(resources),
    counted(resources, 'AWS::CloudWatch::Dashboard', 'CloudWatch dashboards', PRICES.dashboard, `$${PRICES.dashboard}/dashboard (3 free per account not counted)`),
    ...healthChecks(resources),
    ...waf(resources),
    counted(resources, 'AWS::SecretsManager::Secret', 'Secrets Manager secrets', PRICES.secret, `$${PRICES.secret}/secret`),
    kmsKeys(resources),
    ...prober(resources, assumptions),
  ].filter((line) => line.quantity > 0);
}

export function totalUsd(lines: readonly CostLine[]): number {
  return lines.reduce((sum, l) => sum + l.monthlyUsd, 0);
}
