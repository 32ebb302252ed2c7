/**
 * The alarm catalogue made into alarms by the one factory, on a small stack of its own (in process, so a mutation
 * test sees every change): each alarm's metric, threshold, periods and missing-data choice, its name, description
 * and runbook, and where its actions go.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { alarmCatalogue, PROBER_ALARM_PERIOD, THRESHOLDS } from '../../lib/monitoring/alarm-catalogue';
import { createPlatformAlarm, RUNBOOK_IN_DESCRIPTION } from '../../lib/monitoring/platform-alarm';

const ROOT = join(__dirname, '..', '..');

const imported = (stack: Stack, name: string) =>
  lambda.Function.fromFunctionArn(
    stack,
    name,
    `arn:aws:lambda:eu-central-1:222222222222:function:miko-production-${name}`,
  );

function catalogueStack() {
  const stack = new Stack(new App(), 'Alarms', { env: { account: '222222222222', region: 'eu-central-1' } });
  const topics = { critical: new sns.Topic(stack, 'Critical'), warning: new sns.Topic(stack, 'Warning') };
  const specs = alarmCatalogue({
    envName: 'production',
    site: {
      siteUrl: 'https://miko.example',
      domainName: 'miko.example',
      distributionId: 'E1DIST',
      webAclMetricName: 'miko-production-web-acl',
      releaseStoreArn: 'arn:aws:cloudfront::222222222222:key-value-store/store',
    },
    route53HealthCheckId: 'hc-1',
    functions: {
      health: imported(stack, 'health'),
      prober: imported(stack, 'prober'),
    },
  });
  for (const spec of specs) createPlatformAlarm(stack, 'production', { topic: (s) => topics[s] }, spec);
  const template = Template.fromStack(stack);
  const topicIds = Object.fromEntries(
    Object.entries(template.findResources('AWS::SNS::Topic')).map(([id]) => [id.replace(/[A-F0-9]{8}$/, ''), id]),
  );
  const alarms = Object.values<any>(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
  return { specs, alarms, topicIds };
}

/** [name, namespace, metric, dimensions, statistic, period s, threshold, comparison, evaluation periods, datapoints, missing data] */
type Row = [string, string, string, Record<string, string>, string, number, number, string, number, number, string];
const SYNTHETICS = (target?: string) => ({ Environment: 'production', ...(target && { Target: target }) });
const CLOUDFRONT = { DistributionId: 'E1DIST', Region: 'Global' };
const LAMBDA = (name: string) => ({ FunctionName: `miko-production-${name}` });
// One alarm a line: the table is read across.
// prettier-ignore
const ROWS: Row[] = [
  ['critical-site-down', 'MiKO/Synthetics', 'Failure', SYNTHETICS('site'), 'Maximum', 10, 1, 'GreaterThanOrEqualToThreshold', 1, 1, 'notBreaching'],
  ['critical-release-asset-missing', 'MiKO/Synthetics', 'Failure', SYNTHETICS('asset'), 'Maximum', 10, 1, 'GreaterThanOrEqualToThreshold', 1, 1, 'notBreaching'],
  ['critical-route53-unhealthy', 'AWS/Route53', 'HealthCheckStatus', { HealthCheckId: 'hc-1' }, 'Minimum', 60, 1, 'LessThanThreshold', 1, 1, 'breaching'],
  ['critical-error-rate-5xx', 'AWS/CloudFront', '5xxErrorRate', CLOUDFRONT, 'Average', 60, 5, 'GreaterThanThreshold', 1, 1, 'notBreaching'],
  ['critical-latency-3s', 'MiKO/Synthetics', 'Latency', SYNTHETICS('site'), 'p90', 60, 3000, 'GreaterThanThreshold', 2, 2, 'notBreaching'],
  ['critical-database-check-failing', 'MiKO/Synthetics', 'Failure', SYNTHETICS('health-db'), 'Maximum', 60, 1, 'GreaterThanOrEqualToThreshold', 2, 2, 'notBreaching'],
  ['warning-error-rate-5xx', 'AWS/CloudFront', '5xxErrorRate', CLOUDFRONT, 'Average', 60, 1, 'GreaterThanThreshold', 3, 3, 'notBreaching'],
  ['warning-latency-1s', 'MiKO/Synthetics', 'Latency', SYNTHETICS('site'), 'p90', 60, 1000, 'GreaterThanThreshold', 5, 3, 'notBreaching'],
  ['warning-error-rate-4xx', 'AWS/CloudFront', '4xxErrorRate', CLOUDFRONT, 'Average', 300, 15, 'GreaterThanThreshold', 1, 1, 'notBreaching'],
  ['warning-waf-blocks-spike', 'AWS/WAFV2', 'BlockedRequests', { WebACL: 'miko-production-web-acl', Rule: 'ALL' }, 'Sum', 300, 500, 'GreaterThanThreshold', 1, 1, 'notBreaching'],
  ['warning-prober-heartbeat-missing', 'MiKO/Synthetics', 'Heartbeat', SYNTHETICS(), 'SampleCount', 60, 1, 'LessThanThreshold', 2, 2, 'breaching'],
  ['warning-health-api-down', 'MiKO/Synthetics', 'Failure', SYNTHETICS('health'), 'Maximum', 60, 1, 'GreaterThanOrEqualToThreshold', 2, 2, 'notBreaching'],
  ['warning-apis-check-failing', 'MiKO/Synthetics', 'Failure', SYNTHETICS('health-apis'), 'Maximum', 60, 1, 'GreaterThanOrEqualToThreshold', 3, 3, 'notBreaching'],
  ['warning-booking-failures', 'MiKO/App', 'BookingFailures', { Environment: 'production' }, 'Sum', 900, 3, 'GreaterThanOrEqualToThreshold', 1, 1, 'notBreaching'],
  ['warning-reminder-failures', 'MiKO/App', 'ReminderFailures', { Environment: 'production' }, 'Sum', 3600, 1, 'GreaterThanOrEqualToThreshold', 1, 1, 'notBreaching'],
  ['warning-lambda-health-errors', 'AWS/Lambda', 'Errors', LAMBDA('health'), 'Sum', 300, 1, 'GreaterThanOrEqualToThreshold', 1, 1, 'notBreaching'],
  ['warning-lambda-health-throttles', 'AWS/Lambda', 'Throttles', LAMBDA('health'), 'Sum', 300, 1, 'GreaterThanOrEqualToThreshold', 1, 1, 'notBreaching'],
  ['warning-lambda-prober-errors', 'AWS/Lambda', 'Errors', LAMBDA('prober'), 'Sum', 300, 1, 'GreaterThanOrEqualToThreshold', 1, 1, 'notBreaching'],
  ['warning-lambda-prober-throttles', 'AWS/Lambda', 'Throttles', LAMBDA('prober'), 'Sum', 300, 1, 'GreaterThanOrEqualToThreshold', 1, 1, 'notBreaching'],
];

describe('the alarm catalogue', () => {
  it('makes exactly these alarms, each with its metric, threshold, periods and missing-data choice', () => {
    const { alarms } = catalogueStack();
    const seen = alarms.map((a): Row => [
      a.AlarmName.replace(/^miko-production-/, ''),
      a.Namespace,
      a.MetricName,
      Object.fromEntries(a.Dimensions.map((d: { Name: string; Value: string }) => [d.Name, d.Value])),
      a.ExtendedStatistic ?? a.Statistic,
      a.Period,
      a.Threshold,
      a.ComparisonOperator,
      a.EvaluationPeriods,
      a.DatapointsToAlarm,
      a.TreatMissingData,
    ]);
    expect(seen).toEqual(ROWS);
  });

  it('pages on-call for critical alarms only, and sends their recovery too', () => {
    const { alarms, topicIds } = catalogueStack();
    for (const a of alarms) {
      const critical = a.AlarmName.startsWith('miko-production-critical-');
      const topic = [{ Ref: topicIds[critical ? 'Critical' : 'Warning'] }];
      expect(a.AlarmActions).toEqual(topic);
      expect(a.OKActions).toEqual(critical ? topic : undefined);
    }
  });

  it('says in every description why, what missing data means, and a runbook that exists', () => {
    const { specs, alarms } = catalogueStack();
    for (const spec of specs) {
      expect(spec.why).toMatch(/^\S.{30,}\.$/);
      expect(spec.missingDataWhy).toMatch(/^\S.{20,}\.$/);
    }
    for (const a of alarms) {
      const runbook = RUNBOOK_IN_DESCRIPTION.exec(a.AlarmDescription)?.[1];
      expect(runbook && existsSync(join(ROOT, runbook))).toBe(true);
    }
    const runbooks = Object.fromEntries(
      alarms.map((a) => [a.AlarmName, RUNBOOK_IN_DESCRIPTION.exec(a.AlarmDescription)![1]]),
    );
    expect(runbooks).toMatchObject({
      'miko-production-critical-site-down': 'docs/runbooks/site-down.md',
      'miko-production-critical-release-asset-missing': 'docs/runbooks/rollback.md',
      'miko-production-critical-latency-3s': 'docs/runbooks/slow-pages.md',
      'miko-production-critical-database-check-failing': 'docs/runbooks/dependency-down.md',
      'miko-production-warning-error-rate-4xx': 'docs/runbooks/rollback.md',
      'miko-production-warning-waf-blocks-spike': 'docs/runbooks/waf-blocks.md',
      'miko-production-warning-prober-heartbeat-missing': 'docs/runbooks/prober-down.md',
      'miko-production-warning-lambda-prober-errors': 'docs/runbooks/lambda-errors.md',
    });
  });

  it('states the assessment thresholds in the words on-call reads', () => {
    const { alarms } = catalogueStack();
    const description = (name: string) =>
      alarms.find((a) => a.AlarmName === `miko-production-${name}`).AlarmDescription;
    expect(description('critical-error-rate-5xx')).toContain(
      `More than ${THRESHOLDS.criticalErrorRatePercent} % of requests answered 5xx`,
    );
    expect(description('critical-latency-3s')).toContain(`exceeded ${THRESHOLDS.criticalLatencyMs} ms`);
    expect(description('warning-error-rate-5xx')).toContain(`More than ${THRESHOLDS.warningErrorRatePercent} % 5xx`);
    expect(description('warning-latency-1s')).toContain(`exceeded ${THRESHOLDS.warningLatencyMs} ms`);
    expect(description('warning-error-rate-4xx')).toContain(`More than ${THRESHOLDS.clientErrorRatePercent} % 4xx`);
    expect(description('warning-waf-blocks-spike')).toContain(`more than ${THRESHOLDS.wafBlocksPer5Minutes} requests`);
    expect(description('warning-booking-failures')).toMatch(
      new RegExp(`^\\[warning\\] ${THRESHOLDS.bookingFailuresPer15Minutes}\\+ appointment bookings`),
    );
    expect(description('warning-lambda-health-throttles')).toContain(
      'The health Lambda reported throttles in the last 5 minutes',
    );
    expect(description('critical-site-down')).toContain(
      'Missing data: the prober being down is the heartbeat alarm\'s job; a gap must not page as "site down"',
    );
    expect(PROBER_ALARM_PERIOD.toSeconds()).toBe(10);
  });
});
