/**
 * The assessment's alert rules as alarms. Critical pages the on-call (site down, Route53 unhealthy, 5xx > 5 %,
 * latency > 3 s, database check failing; rotation failures come from RotationAlerts); warnings wait for working
 * hours. Each threshold's reason is in its `why`, each missing-data choice in its `missingDataWhy`.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  APP_METRICS,
  appMetric,
  cloudFront,
  PROBER_METRICS as METRIC,
  route53HealthCheckStatus,
  synthetic,
  waf,
} from './metrics';
import type { AlarmSpec } from './platform-alarm';
import type { SiteEndpoints } from './site-endpoints';

const {
  GREATER_THAN_OR_EQUAL_TO_THRESHOLD: AT_LEAST,
  GREATER_THAN_THRESHOLD: ABOVE,
  LESS_THAN_THRESHOLD: BELOW,
} = cloudwatch.ComparisonOperator;
const { NOT_BREACHING, BREACHING } = cloudwatch.TreatMissingData;

/** The assessment's thresholds. */
export const THRESHOLDS = {
  criticalErrorRatePercent: 5,
  warningErrorRatePercent: 1,
  criticalLatencyMs: 3000,
  warningLatencyMs: 1000,
  /** A 4xx rate this high means broken links or a bad deploy, not patients mistyping a URL (a few % is normal). */
  clientErrorRatePercent: 15,
  /** Blocked requests per 5 minutes: above the background noise of scanners, below a real flood. */
  wafBlocksPer5Minutes: 500,
  /** Three failed bookings in 15 minutes is a pattern, one can be a patient's typo. */
  bookingFailuresPer15Minutes: 3,
  /** Any reminder that could not be sent is a patient who may miss an appointment. */
  reminderFailuresPerHour: 1,
} as const;

/** 10 s: the shortest high-resolution alarm period, read from the prober's 5 s probes. */
export const PROBER_ALARM_PERIOD = Duration.seconds(10);

export interface AlarmCatalogueInputs {
  readonly envName: string;
  readonly site: SiteEndpoints;
  readonly route53HealthCheckId: string;
  /** Every Lambda of the platform, by a readable name (errors and throttles warn). */
  readonly functions: Record<string, lambda.IFunction>;
}

const PROBER_GAP =
  'the prober being down is the heartbeat alarm\'s job; a gap must not page as "site down" (Route53 still watches).';

function critical(inputs: AlarmCatalogueInputs): AlarmSpec[] {
  const { envName, site } = inputs;
  return [
    {
      slug: 'site-down',
      severity: 'critical',
      why: `The prober found / failing (not 200, or no build marker) on a probe and its retry. One failed 10 s period pages: the retry already filters blips.`,
      runbook: 'site-down',
      metric: synthetic(envName, METRIC.failure, { Target: 'site' }, 'Maximum', PROBER_ALARM_PERIOD),
      threshold: 1,
      comparison: AT_LEAST,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: NOT_BREACHING,
      missingDataWhy: PROBER_GAP,
    },
    {
      slug: 'release-asset-missing',
      severity: 'critical',
      why: 'A hashed asset the live index.html loads is not served: patients get a blank page even though / answers 200.',
      runbook: 'rollback',
      metric: synthetic(envName, METRIC.failure, { Target: 'asset' }, 'Maximum', PROBER_ALARM_PERIOD),
      threshold: 1,
      comparison: AT_LEAST,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: NOT_BREACHING,
      missingDataWhy: PROBER_GAP,
    },
    {
      slug: 'route53-unhealthy',
      severity: 'critical',
      why: "Route53's checkers around the world find /health failing: an outside view independent of our own prober.",
      runbook: 'site-down',
      metric: route53HealthCheckStatus(inputs.route53HealthCheckId),
      threshold: 1,
      comparison: BELOW,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: BREACHING,
      missingDataWhy: 'Route53 reports every minute while the check exists; silence means the check is gone or broken.',
    },
    {
      slug: 'error-rate-5xx',
      severity: 'critical',
      why: `More than ${THRESHOLDS.criticalErrorRatePercent} % of requests answered 5xx over a minute (assessment: critical "error rate > 5 %").`,
      runbook: 'site-down',
      metric: cloudFront(site.distributionId, '5xxErrorRate'),
      threshold: THRESHOLDS.criticalErrorRatePercent,
      comparison: ABOVE,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: NOT_BREACHING,
      missingDataWhy: 'CloudFront publishes nothing in a minute without requests: no traffic, no errors.',
    },
    {
      slug: 'latency-3s',
      severity: 'critical',
      why: `The prober's p90 page load exceeded ${THRESHOLDS.criticalLatencyMs} ms for two minutes running (assessment: "response time > 3 s").`,
      runbook: 'slow-pages',
      metric: synthetic(envName, METRIC.latency, { Target: 'site' }, 'p90', Duration.minutes(1)),
      threshold: THRESHOLDS.criticalLatencyMs,
      comparison: ABOVE,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      treatMissingData: NOT_BREACHING,
      missingDataWhy: PROBER_GAP,
    },
    {
      slug: 'database-check-failing',
      severity: 'critical',
      why: '/health/db failed a critical Supabase check in two consecutive minutes (one minute can be a blip; two means patients cannot book).',
      runbook: 'dependency-down',
      metric: synthetic(envName, METRIC.failure, { Target: 'health-db' }, 'Maximum', Duration.minutes(1)),
      threshold: 1,
      comparison: AT_LEAST,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      treatMissingData: NOT_BREACHING,
      missingDataWhy: PROBER_GAP,
    },
  ];
}

function warnings(inputs: AlarmCatalogueInputs): AlarmSpec[] {
  const { envName, site } = inputs;
  const quietWhenIdle = 'no data means no requests (or no events) in the period, which is not a problem.';
  const specs: AlarmSpec[] = [
    {
      slug: 'error-rate-5xx',
      severity: 'warning',
      why: `More than ${THRESHOLDS.warningErrorRatePercent} % 5xx for 3 minutes running (assessment: warning "error rate > 1 %").`,
      runbook: 'site-down',
      metric: cloudFront(site.distributionId, '5xxErrorRate'),
      threshold: THRESHOLDS.warningErrorRatePercent,
      comparison: ABOVE,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      treatMissingData: NOT_BREACHING,
      missingDataWhy: quietWhenIdle,
    },
    {
      slug: 'latency-1s',
      severity: 'warning',
      why: `The prober's p90 page load exceeded ${THRESHOLDS.warningLatencyMs} ms for 3 of 5 minutes (assessment: "response time > 1 s").`,
      runbook: 'slow-pages',
      metric: synthetic(envName, METRIC.latency, { Target: 'site' }, 'p90', Duration.minutes(1)),
      threshold: THRESHOLDS.warningLatencyMs,
      comparison: ABOVE,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      treatMissingData: NOT_BREACHING,
      missingDataWhy: PROBER_GAP,
    },
    {
      slug: 'error-rate-4xx',
      severity: 'warning',
      why: `More than ${THRESHOLDS.clientErrorRatePercent} % 4xx for 5 minutes: broken links or a deploy that lost files, not patients' typos.`,
      runbook: 'rollback',
      metric: cloudFront(site.distributionId, '4xxErrorRate', 'Average', Duration.minutes(5)),
      threshold: THRESHOLDS.clientErrorRatePercent,
      comparison: ABOVE,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: NOT_BREACHING,
      missingDataWhy: quietWhenIdle,
    },
    {
      slug: 'waf-blocks-spike',
      severity: 'warning',
      why: `The WAF blocked more than ${THRESHOLDS.wafBlocksPer5Minutes} requests in 5 minutes: an attack, or a rule blocking patients.`,
      runbook: 'waf-blocks',
      metric: waf(site.webAclMetricName, 'BlockedRequests'),
      threshold: THRESHOLDS.wafBlocksPer5Minutes,
      comparison: ABOVE,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: NOT_BREACHING,
      missingDataWhy: 'WAF publishes BlockedRequests only when it blocks something.',
    },
    {
      slug: 'prober-heartbeat-missing',
      severity: 'warning',
      why: 'The prober published no heartbeat for 2 minutes: while it is dead, "site down" cannot fire (Route53 still can).',
      runbook: 'prober-down',
      metric: synthetic(envName, METRIC.heartbeat, {}, 'SampleCount', Duration.minutes(1)),
      threshold: 1,
      comparison: BELOW,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      treatMissingData: BREACHING,
      missingDataWhy: 'missing data IS the failure here: a dead prober publishes nothing.',
    },
    {
      slug: 'health-api-down',
      severity: 'warning',
      why: '/health failed from the prober for 2 minutes while the site may still be up: the health Lambda or its route is broken (Route53 pages if it persists).',
      runbook: 'site-down',
      metric: synthetic(envName, METRIC.failure, { Target: 'health' }, 'Maximum', Duration.minutes(1)),
      threshold: 1,
      comparison: AT_LEAST,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      treatMissingData: NOT_BREACHING,
      missingDataWhy: PROBER_GAP,
    },
    {
      slug: 'apis-check-failing',
      severity: 'warning',
      why: '/health/apis failed a critical n8n/Google check for 3 minutes: chat and reminders are affected, the site still serves.',
      runbook: 'dependency-down',
      metric: synthetic(envName, METRIC.failure, { Target: 'health-apis' }, 'Maximum', Duration.minutes(1)),
      threshold: 1,
      comparison: AT_LEAST,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      treatMissingData: NOT_BREACHING,
      missingDataWhy: PROBER_GAP,
    },
    {
      slug: 'booking-failures',
      severity: 'warning',
      why: `${THRESHOLDS.bookingFailuresPer15Minutes}+ appointment bookings failed in 15 minutes (assessment: "appointment booking failures").`,
      runbook: 'dependency-down',
      metric: appMetric(envName, APP_METRICS.bookingFailures, 'Sum', Duration.minutes(15)),
      threshold: THRESHOLDS.bookingFailuresPer15Minutes,
      comparison: AT_LEAST,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: NOT_BREACHING,
      missingDataWhy: 'publishers send a datapoint only when a booking fails.',
    },
    {
      slug: 'reminder-failures',
      severity: 'warning',
      why: 'A reminder could not be sent in the last hour (assessment: "failed reminders"): a patient may miss an appointment.',
      runbook: 'dependency-down',
      metric: appMetric(envName, APP_METRICS.reminderFailures, 'Sum', Duration.hours(1)),
      threshold: THRESHOLDS.reminderFailuresPerHour,
      comparison: AT_LEAST,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: NOT_BREACHING,
      missingDataWhy: 'publishers send a datapoint only when a reminder fails.',
    },
  ];
  for (const [name, fn] of Object.entries(inputs.functions)) {
    for (const [what, metric] of [
      ['errors', fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' })],
      ['throttles', fn.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' })],
    ] as const) {
      specs.push({
        slug: `lambda-${name}-${what}`,
        severity: 'warning',
        why: `The ${name} Lambda reported ${what} in the last 5 minutes; any is a bug or a capacity limit worth a look.`,
        runbook: 'lambda-errors',
        metric,
        threshold: 1,
        comparison: AT_LEAST,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        treatMissingData: NOT_BREACHING,
        missingDataWhy: quietWhenIdle,
      });
    }
  }
  return specs;
}

export function alarmCatalogue(inputs: AlarmCatalogueInputs): AlarmSpec[] {
  return [...critical(inputs), ...warnings(inputs)];
}
