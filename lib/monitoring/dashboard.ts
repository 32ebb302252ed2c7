/**
 * One dashboard per environment, top to bottom in the order an on-call reads it: alarm states, what patients see
 * (prober availability and latency), traffic and errors at CloudFront, the WAF, each dependency, every Lambda,
 * rotation outcomes.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { LATENCY_TARGETS } from '../../lambda/prober/metrics';
import { TargetName } from '../../lambda/prober/probes';
import {
  APP_METRICS,
  appMetric,
  BACKUP_METRICS,
  backupMetric,
  cloudFront,
  PROBER_METRICS as METRIC,
  route53HealthCheckStatus,
  synthetic,
  waf,
} from './metrics';
import type { SiteEndpoints } from './site-endpoints';

const PROBER_TARGETS: TargetName[] = ['site', 'asset', 'health', 'health-db', 'health-apis'];
const WIDE = 24;
const HALF = 12;
const THIRD = 8;

export interface PlatformDashboardProps {
  readonly envName: string;
  readonly site: SiteEndpoints;
  readonly dependencyChecks: readonly string[];
  readonly functions: Record<string, lambda.IFunction>;
  /** Rotation Lambdas (from the Secrets part); empty until it is merged. */
  readonly rotationFunctions: Record<string, lambda.IFunction>;
  readonly alarms: readonly cloudwatch.IAlarm[];
  readonly route53HealthCheckId: string;
  /** The prober's log: each /health/db and /health/apis probe logs its dependencies' status and latency there. */
  readonly proberLogGroup?: logs.ILogGroup;
  /** Show the backups' row (age, size, drill). */
  readonly backups?: boolean;
}

export class PlatformDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: PlatformDashboardProps) {
    super(scope, id);
    const { envName, site } = props;
    const period = Duration.minutes(1);

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `miko-${envName}`,
      defaultInterval: Duration.hours(3),
    });
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: [...props.alarms], width: WIDE, height: 4 }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Availability (prober, share of probes passing)',
        // 1 - Failure: the prober publishes only Failure (a Success metric would be billed for the same information).
        left: PROBER_TARGETS.map(
          (t, i) =>
            new cloudwatch.MathExpression({
              expression: `1 - f${i}`,
              label: t,
              period,
              usingMetrics: { [`f${i}`]: synthetic(envName, METRIC.failure, { Target: t }, 'Average', period) },
            }),
        ),
        leftYAxis: { min: 0, max: 1 },
        width: HALF,
      }),
      new cloudwatch.GraphWidget({
        title: 'Latency of the page load (prober, p90 ms)',
        left: LATENCY_TARGETS.map((t) =>
          synthetic(envName, METRIC.latency, { Target: t }, 'p90', period).with({ label: t }),
        ),
        width: HALF,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'CloudFront requests',
        left: [cloudFront(site.distributionId, 'Requests', 'Sum')],
        width: THIRD,
      }),
      new cloudwatch.GraphWidget({
        title: 'CloudFront error rates (%)',
        left: [
          cloudFront(site.distributionId, '5xxErrorRate').with({ label: '5xx' }),
          cloudFront(site.distributionId, '4xxErrorRate').with({ label: '4xx' }),
        ],
        width: THIRD,
      }),
      new cloudwatch.GraphWidget({
        title: 'Bytes downloaded and cache-hit rate',
        left: [cloudFront(site.distributionId, 'BytesDownloaded', 'Sum')],
        // CacheHitRate is one of CloudFront's additional metrics, which the distribution must enable.
        right: [cloudFront(site.distributionId, 'CacheHitRate').with({ label: 'cache-hit rate (%)' })],
        width: THIRD,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'WAF allowed / blocked',
        left: [
          waf(site.webAclMetricName, 'AllowedRequests').with({ label: 'allowed' }),
          waf(site.webAclMetricName, 'BlockedRequests').with({ label: 'blocked' }),
        ],
        width: HALF,
      }),
      new cloudwatch.GraphWidget({
        title: 'Route53 health check (status)',
        left: [route53HealthCheckStatus(props.route53HealthCheckId, period)],
        width: HALF,
      }),
    );
    if (props.proberLogGroup) {
      this.dashboard.addWidgets(
        new cloudwatch.LogQueryWidget({
          title: `Dependencies (${props.dependencyChecks.join(', ')}): latest status and latency per check, from the prober's log`,
          logGroupNames: [props.proberLogGroup.logGroupName],
          queryLines: [
            'filter event = "probe" and ispresent(dependencies.0.check)',
            'fields @timestamp, target, ok, dependencies.0.check, dependencies.0.up, dependencies.0.latencyMs, dependencies.1.check, dependencies.1.up, dependencies.1.latencyMs, dependencies.2.check, dependencies.2.up, dependencies.2.latencyMs',
            'sort @timestamp desc',
            'limit 20',
          ],
          width: WIDE,
          height: 6,
        }),
      );
    }
    this.dashboard.addWidgets(...this.lambdaWidgets('Lambdas', props.functions));
    this.dashboard.addWidgets(
      ...(Object.keys(props.rotationFunctions).length > 0
        ? this.lambdaWidgets('Rotation outcomes', props.rotationFunctions)
        : [
            new cloudwatch.TextWidget({
              markdown:
                '### Rotation outcomes\nRotation functions appear here once the Secrets part is wired (MonitoringStack `rotationFunctions`).',
              width: WIDE,
              height: 2,
            }),
          ]),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Booking and reminder failures (app, n8n)',
        left: [APP_METRICS.bookingFailures, APP_METRICS.reminderFailures].map((metricName) =>
          appMetric(envName, metricName, 'Sum', Duration.minutes(5)),
        ),
        width: WIDE,
      }),
    );
    if (props.backups) this.dashboard.addWidgets(...backupWidgets(envName));
  }

  private lambdaWidgets(title: string, functions: Record<string, lambda.IFunction>): cloudwatch.IWidget[] {
    const each = (metric: (fn: lambda.IFunction) => cloudwatch.IMetric) =>
      Object.entries(functions).map(([name, fn]) => (metric(fn) as cloudwatch.Metric).with({ label: name }));
    return [
      new cloudwatch.GraphWidget({
        title: `${title}: invocations`,
        left: each((fn) => fn.metricInvocations({ statistic: 'Sum' })),
        width: THIRD,
      }),
      new cloudwatch.GraphWidget({
        title: `${title}: errors`,
        left: each((fn) => fn.metricErrors({ statistic: 'Sum' })),
        width: THIRD,
      }),
      new cloudwatch.GraphWidget({
        title: `${title}: duration (p99 ms)`,
        left: each((fn) => fn.metricDuration({ statistic: 'p99' })),
        width: THIRD,
      }),
    ];
  }
}

/** Backups: how old the newest one is, how big each one was, and whether the drill restored it and how fast. */
function backupWidgets(envName: string): cloudwatch.IWidget[] {
  const day = Duration.days(1);
  return [
    new cloudwatch.GraphWidget({
      title: 'Age of the newest backup and of the newest passing drill (hours)',
      left: [
        backupMetric(envName, BACKUP_METRICS.ageHours, 'Maximum', Duration.hours(1)).with({
          label: 'backup (warns > 26)',
        }),
      ],
      right: [
        backupMetric(envName, BACKUP_METRICS.drillAgeHours, 'Maximum', Duration.hours(1)).with({
          label: 'drill (warns > 170)',
        }),
      ],
      width: THIRD,
    }),
    new cloudwatch.GraphWidget({
      title: 'Backup size (bytes) and shrink (%)',
      left: [backupMetric(envName, BACKUP_METRICS.bytes, 'Maximum', day)],
      right: [backupMetric(envName, BACKUP_METRICS.shrinkPercent, 'Maximum', day)],
      width: THIRD,
    }),
    new cloudwatch.GraphWidget({
      title: 'Restore drill (1 = passed) and restore seconds',
      left: [backupMetric(envName, BACKUP_METRICS.drillSucceeded, 'Minimum', day)],
      right: [backupMetric(envName, BACKUP_METRICS.restoreSeconds, 'Maximum', day)],
      leftYAxis: { min: 0, max: 1 },
      width: THIRD,
    }),
  ];
}
