/**
 * Every metric the alarms, the dashboard and `npm run ttd` read: namespaces, metric names and one builder per
 * source. The publishers (Lambdas, the backup job, the app's back end) own the names they send at run time; this
 * module imports them, so a renamed metric breaks the build here instead of silencing an alarm.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { METRIC as PROBER_METRICS, SYNTHETICS_NAMESPACE } from '../../lambda/prober/metrics';
import { CLIENT_METRICS, CLIENT_NAMESPACE } from '../../lambda/telemetry/event-line';
import {
  METRIC_NAME as STALE_SECRETS_METRIC,
  METRIC_NAMESPACE as SECRETS_NAMESPACE,
  UNRECORDED_ROTATIONS_METRIC,
} from '../../lambda/rotation-age/metric';
import { BACKUP_METRICS, BACKUP_NAMESPACE, BackupMetricName } from '../../jobs/backups/metrics';

export { BACKUP_METRICS, BACKUP_NAMESPACE, CLIENT_METRICS, CLIENT_NAMESPACE, PROBER_METRICS, SYNTHETICS_NAMESPACE };
export { SECRETS_NAMESPACE, STALE_SECRETS_METRIC };

/**
 * Business metrics the app's back end (n8n workflows, Supabase functions) publishes; the browser holds no AWS
 * credentials. README ("Publishing the custom metrics") says how. Their only dimension is `Environment`.
 */
export const APP_NAMESPACE = 'MiKO/App';
export const APP_METRICS = {
  /** One per appointment booking that failed for the patient (calendar write, Supabase insert, n8n error branch). */
  bookingFailures: 'BookingFailures',
  /** One per appointment reminder (email/SMS) that could not be sent after the workflow's own retries. */
  reminderFailures: 'ReminderFailures',
} as const;

export const AWS_NAMESPACES = { cloudFront: 'AWS/CloudFront', route53: 'AWS/Route53', waf: 'AWS/WAFV2' } as const;

/** CloudFront and Route53 publish per minute: 60 s is their finest period. */
export const AWS_METRIC_PERIOD = Duration.minutes(1);

/** A metric with the `Environment` dimension every MiKO namespace carries. */
function ownMetric(
  namespace: string,
  envName: string,
  metricName: string,
  statistic: string,
  period: Duration,
  dimensions: Record<string, string> = {},
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace,
    metricName,
    dimensionsMap: { Environment: envName, ...dimensions },
    statistic,
    period,
  });
}

export const synthetic = (
  envName: string,
  metricName: string,
  dimensions: Record<string, string>,
  statistic: string,
  period: Duration,
) => ownMetric(SYNTHETICS_NAMESPACE, envName, metricName, statistic, period, dimensions);

export const client = (
  envName: string,
  metricName: string,
  statistic: string,
  period: Duration,
  dimensions: Record<string, string> = {},
) => ownMetric(CLIENT_NAMESPACE, envName, metricName, statistic, period, dimensions);

export const appMetric = (envName: string, metricName: string, statistic: string, period: Duration) =>
  ownMetric(APP_NAMESPACE, envName, metricName, statistic, period);

export const backupMetric = (envName: string, metricName: BackupMetricName, statistic: string, period: Duration) =>
  ownMetric(BACKUP_NAMESPACE, envName, metricName, statistic, period);

/** Published by the secret-age function for all secrets at once, with no dimension. */
export const staleSecrets = (period: Duration) =>
  new cloudwatch.Metric({
    namespace: SECRETS_NAMESPACE,
    metricName: STALE_SECRETS_METRIC,
    statistic: 'Maximum',
    period,
  });

/** Published by a rotation function, with no dimension, when a finished rotation could not be recorded. */
export const unrecordedRotations = (period: Duration) =>
  new cloudwatch.Metric({
    namespace: SECRETS_NAMESPACE,
    metricName: UNRECORDED_ROTATIONS_METRIC,
    statistic: 'Sum',
    period,
  });

export function cloudFront(
  distributionId: string,
  metricName: string,
  statistic = 'Average',
  period = AWS_METRIC_PERIOD,
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: AWS_NAMESPACES.cloudFront,
    metricName,
    dimensionsMap: { DistributionId: distributionId, Region: 'Global' },
    statistic,
    period,
  });
}

export function waf(webAclMetricName: string, metricName: string): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: AWS_NAMESPACES.waf,
    metricName,
    dimensionsMap: { WebACL: webAclMetricName, Rule: 'ALL' },
    statistic: 'Sum',
    period: Duration.minutes(5),
  });
}

export function route53HealthCheckStatus(healthCheckId: string, period = AWS_METRIC_PERIOD): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: AWS_NAMESPACES.route53,
    metricName: 'HealthCheckStatus',
    dimensionsMap: { HealthCheckId: healthCheckId },
    statistic: 'Minimum',
    period,
  });
}
