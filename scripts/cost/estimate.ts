/**
 * A fixed monthly cost estimate for one environment, computed from its synthesized CloudFormation templates:
 * what the environment costs before any patient visits it. Traffic-priced items (CloudFront requests and bytes,
 * WAF requests, S3 requests, Lambda calls by visitors) are left out and say so.
 */
import { ALWAYS_FREE_PER_ACCOUNT, PRICES, SECONDS_PER_MONTH } from './prices';
import {
  AlarmProperties,
  BucketProperties,
  EventsRuleProperties,
  HealthCheckProperties,
  LambdaFunctionProperties,
  MetricIdentity,
  propertiesOf,
  refId,
  Resources,
  ScheduleProperties,
  TaskDefinitionProperties,
  VpcEndpointProperties,
  WebAclProperties,
} from '../../tools/analysis/template';

/** What a line counts, so the per-account free allowances can be credited against the right lines. */
export type CostUnit =
  | 'alarm-standard'
  | 'alarm-high-resolution'
  | 'dashboard'
  | 'custom-metric'
  | 'cloudwatch-api'
  | 'lambda-gb-second'
  | 'lambda-request'
  | 'other';

export interface CostLine {
  readonly item: string;
  readonly quantity: number;
  readonly monthlyUsd: number;
  readonly basis: string;
  readonly unit: CostUnit;
}

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

/** An alarm's properties; a metric-math alarm has Metrics and no Period of its own. */
type AlarmFields = Partial<AlarmProperties>;

function alarmMetricCount(properties: AlarmFields): number {
  if (Array.isArray(properties.Metrics)) return properties.Metrics.filter((m) => m.MetricStat).length || 1;
  return 1;
}

function isHighResolution(properties: AlarmFields): boolean {
  const periods = Array.isArray(properties.Metrics)
    ? properties.Metrics.map((m) => m.MetricStat?.Period)
    : [properties.Period];
  return periods.some((p) => typeof p === 'number' && p < 60);
}

function alarms(resources: Resources): CostLine[] {
  let standard = 0;
  let highResolution = 0;
  let composite = 0;
  for (const r of Object.values(resources)) {
    if (r.Type === 'AWS::CloudWatch::CompositeAlarm') composite++;
    if (r.Type !== 'AWS::CloudWatch::Alarm') continue;
    const alarm = propertiesOf<AlarmFields>(r) ?? {};
    const metrics = alarmMetricCount(alarm);
    if (isHighResolution(alarm)) highResolution += metrics;
    else standard += metrics;
  }
  return [
    {
      item: 'CloudWatch alarms, standard resolution (metrics)',
      quantity: standard,
      monthlyUsd: standard * PRICES.alarmStandardPerMetric,
      basis: `$${PRICES.alarmStandardPerMetric}/metric`,
      unit: 'alarm-standard',
    },
    {
      item: 'CloudWatch alarms, high resolution (metrics)',
      quantity: highResolution,
      monthlyUsd: highResolution * PRICES.alarmHighResolutionPerMetric,
      basis: `$${PRICES.alarmHighResolutionPerMetric}/metric`,
      unit: 'alarm-high-resolution',
    },
    {
      item: 'CloudWatch composite alarms',
      quantity: composite,
      monthlyUsd: composite * PRICES.compositeAlarm,
      basis: `$${PRICES.compositeAlarm}/alarm`,
      unit: 'other',
    },
  ];
}

function healthChecks(resources: Resources): CostLine[] {
  let checks = 0;
  let options = 0;
  for (const r of Object.values(resources)) {
    if (r.Type !== 'AWS::Route53::HealthCheck') continue;
    checks++;
    const config = propertiesOf<HealthCheckProperties>(r)?.HealthCheckConfig ?? {};
    const type = String(config.Type ?? '');
    if (type.startsWith('HTTPS')) options++;
    if (type.endsWith('STR_MATCH')) options++;
    if (config.RequestInterval === 10) options++;
    if (config.MeasureLatency) options++;
  }
  return [
    {
      item: 'Route 53 health checks',
      quantity: checks,
      monthlyUsd: checks * PRICES.healthCheckNonAws,
      basis: `$${PRICES.healthCheckNonAws}/check (non-AWS endpoint)`,
      unit: 'other',
    },
    {
      item: 'Route 53 health check options (HTTPS, string match, 10 s, latency)',
      quantity: options,
      monthlyUsd: options * PRICES.healthCheckOptionNonAws,
      basis: `$${PRICES.healthCheckOptionNonAws}/option`,
      unit: 'other',
    },
  ];
}

function waf(resources: Resources): CostLine[] {
  const acls = Object.values(resources).filter((r) => r.Type === 'AWS::WAFv2::WebACL');
  const rules = acls.reduce((n, acl) => n + (propertiesOf<WebAclProperties>(acl)?.Rules?.length ?? 0), 0);
  return [
    {
      item: 'WAF web ACLs',
      quantity: acls.length,
      monthlyUsd: acls.length * PRICES.wafWebAcl,
      basis: `$${PRICES.wafWebAcl}/ACL`,
      unit: 'other',
    },
    {
      item: 'WAF rules and managed rule groups',
      quantity: rules,
      monthlyUsd: rules * PRICES.wafRule,
      basis: `$${PRICES.wafRule}/rule`,
      unit: 'other',
    },
  ];
}

function counted(
  resources: Resources,
  type: string,
  item: string,
  price: number,
  basis: string,
  unit: CostUnit = 'other',
): CostLine {
  const quantity = Object.values(resources).filter((r) => r.Type === type).length;
  return { item, quantity, monthlyUsd: quantity * price, basis, unit };
}

function kmsKeys(resources: Resources): CostLine {
  const keys = Object.values(resources).filter((r) => r.Type === 'AWS::KMS::Key');
  const monthly = keys.reduce(
    (sum, k) => sum + (k.Properties?.EnableKeyRotation ? PRICES.kmsRotatedKeyCap : PRICES.kmsKey),
    0,
  );
  return {
    item: 'KMS customer-managed keys',
    quantity: keys.length,
    monthlyUsd: monthly,
    basis: `$${PRICES.kmsKey}/key, ≤ $${PRICES.kmsRotatedKeyCap} once rotated twice`,
    unit: 'other',
  };
}

/** Functions started by a schedule (EventBridge rule or Scheduler) every minute: the prober. */
function scheduledEveryMinute(resources: Resources): Array<{ memoryMb: number; timeoutSeconds: number }> {
  const isEveryMinute = (expression: unknown) =>
    typeof expression === 'string' && /^rate\(1 minute\)$|^cron\(\* \* \* \* \? \*\)$/.test(expression);
  const targets = new Set<string>();
  for (const r of Object.values(resources)) {
    const rule = r.Type === 'AWS::Events::Rule' ? propertiesOf<EventsRuleProperties>(r) : undefined;
    if (isEveryMinute(rule?.ScheduleExpression)) {
      for (const t of rule?.Targets ?? []) targets.add(JSON.stringify(t.Arn));
    }
    const schedule = r.Type === 'AWS::Scheduler::Schedule' ? propertiesOf<ScheduleProperties>(r) : undefined;
    if (isEveryMinute(schedule?.ScheduleExpression)) targets.add(JSON.stringify(schedule?.Target?.Arn));
  }
  return Object.entries(resources)
    .filter(
      ([id, r]) => r.Type === 'AWS::Lambda::Function' && targets.has(JSON.stringify({ 'Fn::GetAtt': [id, 'Arn'] })),
    )
    .map(([, r]) => propertiesOf<LambdaFunctionProperties>(r))
    .map((p) => ({ memoryMb: p?.MemorySize ?? 128, timeoutSeconds: p?.Timeout ?? 3 }));
}

function prober(resources: Resources, assumptions: ProberAssumptions): CostLine[] {
  return scheduledEveryMinute(resources).flatMap(({ memoryMb, timeoutSeconds }) => {
    const invocations = perMonth(1);
    const seconds = Math.min(assumptions.secondsPerInvocation, timeoutSeconds);
    const gbSeconds = invocations * seconds * (memoryMb / 1024);
    const calls = invocations * assumptions.putMetricDataCallsPerInvocation;
    return [
      {
        item: `Prober Lambda time (${memoryMb} MB, ~${seconds} s a minute)`,
        quantity: Math.round(gbSeconds),
        monthlyUsd: gbSeconds * PRICES.lambdaArmGbSecond,
        basis: 'arm64 GB-seconds',
        unit: 'lambda-gb-second' as const,
      },
      {
        item: 'Prober Lambda invocations',
        quantity: Math.round(invocations),
        monthlyUsd: invocations * PRICES.lambdaRequest,
        basis: '$0.20/million',
        unit: 'lambda-request' as const,
      },
      {
        item: 'Prober PutMetricData calls',
        quantity: Math.round(calls),
        monthlyUsd: (calls / 1000) * PRICES.cloudWatchApiPer1000,
        basis: `$${PRICES.cloudWatchApiPer1000}/1,000 calls`,
        unit: 'cloudwatch-api' as const,
      },
      {
        item: 'Prober custom metrics',
        quantity: assumptions.customMetrics,
        monthlyUsd: assumptions.customMetrics * PRICES.customMetric,
        basis: `$${PRICES.customMetric}/metric`,
        unit: 'custom-metric' as const,
      },
    ];
  });
}

/**
 * Custom metrics other parts publish, found through the alarms that watch them (every non-`AWS/*` metric an alarm
 * reads exists and is billed). The prober's namespace is left to `prober()`, which knows all it publishes.
 */
function alarmedCustomMetrics(resources: Resources, proberNamespace: string): CostLine {
  const metrics = new Set<string>();
  const add = (m: MetricIdentity | undefined) => {
    if (m?.Namespace && !String(m.Namespace).startsWith('AWS/') && m.Namespace !== proberNamespace) {
      metrics.add(JSON.stringify([m.Namespace, m.MetricName, m.Dimensions ?? []]));
    }
  };
  for (const r of Object.values(resources)) {
    if (r.Type !== 'AWS::CloudWatch::Alarm') continue;
    const alarm = propertiesOf<AlarmFields>(r);
    add(alarm);
    for (const m of alarm?.Metrics ?? []) add(m.MetricStat?.Metric);
  }
  return {
    item: 'Other custom metrics (alarmed)',
    quantity: metrics.size,
    monthlyUsd: metrics.size * PRICES.customMetric,
    basis: `$${PRICES.customMetric}/metric`,
    unit: 'custom-metric',
  };
}

/**
 * The account's permanent free allowances, credited against the lines they cover (each environment is its own
 * account). Returned as one negative line so the list price stays visible above it.
 */
export function alwaysFreeCredit(lines: readonly CostLine[]): CostLine {
  const free = ALWAYS_FREE_PER_ACCOUNT;
  const quantity = (unit: CostUnit) => lines.filter((l) => l.unit === unit).reduce((n, l) => n + l.quantity, 0);
  const credit =
    Math.min(quantity('custom-metric'), free.customMetrics) * PRICES.customMetric +
    Math.min(quantity('alarm-standard'), free.standardAlarmMetrics) * PRICES.alarmStandardPerMetric +
    Math.min(quantity('dashboard'), free.dashboards) * PRICES.dashboard +
    (Math.min(quantity('cloudwatch-api'), free.cloudWatchApiRequests) / 1000) * PRICES.cloudWatchApiPer1000 +
    Math.min(quantity('lambda-request'), free.lambdaRequests) * PRICES.lambdaRequest +
    Math.min(quantity('lambda-gb-second'), free.lambdaGbSeconds) * PRICES.lambdaArmGbSecond;
  return {
    item: 'Always-free allowances of the account',
    quantity: 1,
    monthlyUsd: -credit,
    basis: '10 metrics, 10 alarms, 3 dashboards, 1M API calls, Lambda 400k GB-s',
    unit: 'other',
  };
}

/**
 * What the backups cost a month, from the ECS schedules (task size, cron), the vault's lock and lifecycle and any
 * NAT gateway. Sizes and run times are assumptions, each stated in its line.
 */
export interface BackupAssumptions {
  /** Compressed size of one night's dump (the bench measured ~1/6 of the database's on-disk size). */
  readonly dumpGb: number;
  /** Minutes a run takes, by schedule name suffix. */
  readonly minutesPerRun: { readonly backup: number; readonly 'restore-drill': number };
  /** Size of one job image in ECR, and how many are kept. */
  readonly imageGb: number;
  readonly imagesKept: number;
}

export const DEFAULT_BACKUP_ASSUMPTIONS: BackupAssumptions = {
  dumpGb: 0.5,
  minutesPerRun: { backup: 10, 'restore-drill': 20 },
  imageGb: 0.2,
  imagesKept: 10,
};

const HOURS_PER_MONTH = SECONDS_PER_MONTH / 3600;

/** Runs per month of a six-field EventBridge cron: daily when day-of-week is "?", weekly per listed weekday. */
function runsPerMonth(expression: string): number {
  const fields = /^cron\((.+)\)$/.exec(expression)?.[1].split(' ');
  if (!fields) return 0;
  const [, , dayOfMonth, , dayOfWeek] = fields;
  if (dayOfWeek !== '?' && dayOfWeek !== '*') return (dayOfWeek.split(',').length * 365) / 12 / 7;
  return dayOfMonth === '*' ? 365 / 12 : dayOfMonth.split(',').length;
}

function backups(resources: Resources, assumptions: BackupAssumptions): CostLine[] {
  const lines: CostLine[] = [];
  for (const r of Object.values(resources)) {
    const schedule = r.Type === 'AWS::Scheduler::Schedule' ? propertiesOf<ScheduleProperties>(r) : undefined;
    const ecs = schedule?.Target?.EcsParameters;
    if (!schedule || !ecs) continue;
    const name = String(schedule.Name ?? '');
    const job = (Object.keys(assumptions.minutesPerRun) as Array<keyof BackupAssumptions['minutesPerRun']>).find((j) =>
      name.endsWith(`-${j}`),
    );
    const taskId = refId(ecs.TaskDefinitionArn);
    const task = taskId ? resources[taskId] : undefined;
    if (!job || !task) continue;
    const expression = schedule.ScheduleExpression ?? '';
    const hours = (runsPerMonth(expression) * assumptions.minutesPerRun[job]) / 60;
    const size = propertiesOf<TaskDefinitionProperties>(task);
    const vcpu = Number(size?.Cpu) / 1024;
    const gb = Number(size?.Memory) / 1024;
    const publicIp = ecs.NetworkConfiguration?.AwsvpcConfiguration?.AssignPublicIp === 'ENABLED';
    const usd =
      hours *
      (vcpu * PRICES.fargateArmVcpuHour + gb * PRICES.fargateArmGbHour + (publicIp ? PRICES.publicIpv4Hour : 0));
    lines.push({
      item: `Fargate ARM ${job} task (${vcpu} vCPU, ${gb} GB${publicIp ? ', public IPv4' : ''})`,
      quantity: Math.round(hours * 10) / 10,
      monthlyUsd: usd,
      basis: `task-hours: ${runsPerMonth(expression).toFixed(1)} runs × ${assumptions.minutesPerRun[job]} min (assumed)`,
      unit: 'other',
    });
  }
  for (const r of Object.values(resources)) {
    const bucket = r.Type === 'AWS::S3::Bucket' ? propertiesOf<BucketProperties>(r) : undefined;
    const lock = bucket?.ObjectLockConfiguration?.Rule?.DefaultRetention;
    // The backup vault (lib/backups/vault-bucket.ts); the audit trail's kilobyte records are priced per change.
    if (!lock || /-audit-/.test(String(bucket?.BucketName))) continue;
    const days = Number(lock.Days);
    const coldAfter = bucket?.LifecycleConfiguration?.Rules?.[0]?.Transitions?.[0]?.TransitionInDays;
    const standardDays = coldAfter === undefined ? days : Math.min(coldAfter, days);
    // Glacier IR bills at least 90 days for each object that moves there.
    const coldDays = coldAfter === undefined ? 0 : Math.max(90, days - coldAfter);
    const usd =
      assumptions.dumpGb *
      (standardDays * PRICES.s3StandardGbMonth + coldDays * PRICES.s3GlacierInstantRetrievalGbMonth);
    lines.push({
      item: `Backup vault storage (${days} days locked${coldAfter === undefined ? '' : `, Glacier IR after ${coldAfter}`})`,
      quantity: Math.round(assumptions.dumpGb * days * 10) / 10,
      monthlyUsd: usd,
      basis: `GB kept: ${assumptions.dumpGb} GB dump a night (assumed)`,
      unit: 'other',
    });
  }
  if (lines.length > 0) {
    // BackupBytes and RestoreSeconds are published for the dashboard but no alarm reads them (so alarmedCustomMetrics misses them).
    lines.push({
      item: 'Backup custom metrics (not alarmed: BackupBytes, RestoreSeconds)',
      quantity: 2,
      monthlyUsd: 2 * PRICES.customMetric,
      basis: `$${PRICES.customMetric}/metric`,
      unit: 'custom-metric',
    });
  }
  const nats = Object.values(resources).filter((r) => r.Type === 'AWS::EC2::NatGateway').length;
  if (nats > 0)
    lines.push({
      item: 'NAT gateway + Elastic IP (fixed egress IP for the backups)',
      quantity: nats,
      monthlyUsd: nats * HOURS_PER_MONTH * (PRICES.natGatewayHour + PRICES.publicIpv4Hour),
      basis: `$${PRICES.natGatewayHour}/h + $${PRICES.publicIpv4Hour}/h IPv4, data processing extra`,
      unit: 'other',
    });
  const endpointZones = Object.values(resources)
    .filter((r) => r.Type === 'AWS::EC2::VPCEndpoint')
    .map((r) => propertiesOf<VpcEndpointProperties>(r))
    .filter((p) => p?.VpcEndpointType === 'Interface')
    .reduce((n, p) => n + (p?.SubnetIds?.length ?? 1), 0);
  if (endpointZones > 0)
    lines.push({
      item: 'Interface VPC endpoints (the backup tasks reach AWS APIs privately)',
      quantity: endpointZones,
      monthlyUsd: endpointZones * HOURS_PER_MONTH * PRICES.vpcInterfaceEndpointAzHour,
      basis: `$${PRICES.vpcInterfaceEndpointAzHour}/h per endpoint and zone, $0.01/GB processed extra`,
      unit: 'other',
    });
  const repositories = Object.values(resources).filter((r) => r.Type === 'AWS::ECR::Repository').length;
  if (repositories > 0) {
    const gb = repositories * assumptions.imageGb * assumptions.imagesKept;
    lines.push({
      item: 'ECR storage (backup job images)',
      quantity: gb,
      monthlyUsd: gb * PRICES.ecrStorageGbMonth,
      basis: `$${PRICES.ecrStorageGbMonth}/GB: ${assumptions.imagesKept} images of ~${assumptions.imageGb} GB (assumed)`,
      unit: 'other',
    });
  }
  return lines;
}

/** Every fixed-cost line for one environment's templates (all of its stacks' Resources merged). */
export function estimateMonthlyCost(
  templates: ReadonlyArray<{ Resources?: Resources }>,
  assumptions: ProberAssumptions & { readonly namespace?: string; readonly backups?: BackupAssumptions },
): CostLine[] {
  const resources: Resources = Object.assign({}, ...templates.map((t) => t.Resources ?? {}));
  return [
    ...alarms(resources),
    counted(
      resources,
      'AWS::CloudWatch::Dashboard',
      'CloudWatch dashboards',
      PRICES.dashboard,
      `$${PRICES.dashboard}/dashboard`,
      'dashboard',
    ),
    alarmedCustomMetrics(resources, assumptions.namespace ?? 'MiKO/Synthetics'),
    ...healthChecks(resources),
    ...waf(resources),
    counted(
      resources,
      'AWS::SecretsManager::Secret',
      'Secrets Manager secrets',
      PRICES.secret,
      `$${PRICES.secret}/secret`,
    ),
    kmsKeys(resources),
    ...prober(resources, assumptions),
    ...backups(resources, assumptions.backups ?? DEFAULT_BACKUP_ASSUMPTIONS),
  ].filter((line) => line.quantity > 0);
}

export function totalUsd(lines: readonly CostLine[]): number {
  return lines.reduce((sum, l) => sum + l.monthlyUsd, 0);
}
