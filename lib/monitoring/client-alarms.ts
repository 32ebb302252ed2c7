/**
 * Alarms on what browsers report through the telemetry collector (MiKO/Client): CSP blocks, new error kinds, error
 * spikes, slow pages. All warnings: anyone on the internet can send these, so they never page or judge a release
 * (docs/readme/telemetry-trust.md). The spike is a count, not a ratio to page views: at a practice's traffic one
 * error on one page view is already 100 %.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { TelemetryConfig } from '../config/telemetry';
import { CLIENT_METRICS, client } from './metrics';
import { queryDefinitionName } from '../telemetry/queries';
import type { AlarmSpec } from './platform-alarm';

const { GREATER_THAN_OR_EQUAL_TO_THRESHOLD: AT_LEAST, GREATER_THAN_THRESHOLD: ABOVE } = cloudwatch.ComparisonOperator;
const { NOT_BREACHING } = cloudwatch.TreatMissingData;

/** Google's "good" limits for the 75th percentile of page loads. */
export const VITALS_THRESHOLDS = { lcpMs: 2500, inpMs: 200 } as const;
/** 10 s: the shortest high-resolution alarm period. */
export const CLIENT_ALARM_PERIOD = Duration.seconds(10);
/** Enforced-policy reports per minute that mean the site, not one odd browser extension, is being blocked. */
const CSP_BLOCKS_PER_MINUTE = 3;

const noReports = 'the collector publishes only when a browser reports something; silence is the good case.';

export function clientAlarms(envName: string, telemetry: TelemetryConfig): AlarmSpec[] {
  const errors = client(envName, CLIENT_METRICS.clientErrors, 'Sum', CLIENT_ALARM_PERIOD);
  return [
    {
      slug: 'client-error-spike',
      // Warning, never critical: anyone can post error reports (docs/readme/telemetry-trust.md).
      severity: 'warning',
      why: `Browsers reported more than ${telemetry.errorSpikePer10Seconds} errors in 10 s, in 2 of 3 periods: patients may be hitting a broken page, or someone is posting reports. Reports are an outsider's input, so this warns and never pages or rolls back; the prober, CloudFront's metrics and verify's own Chromium decide that. Look at saved query ${queryDefinitionName(envName, 'errors-of-this-release')}.`,
      runbook: 'client-errors',
      metric: errors,
      threshold: telemetry.errorSpikePer10Seconds,
      comparison: ABOVE,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      treatMissingData: NOT_BREACHING,
      missingDataWhy: noReports,
    },
    {
      slug: 'new-client-error-kind',
      severity: 'warning',
      why: `A kind of browser error not seen in ${telemetry.noveltyWindowDays} days appeared. The collector sent its fingerprint and release to this topic the moment it saw it (subject "new client error <fingerprint> in release <release>"); this alarm is the backstop if that notice failed. Triage: saved query ${queryDefinitionName(envName, 'errors-of-this-fingerprint')}.`,
      runbook: 'client-errors',
      metric: client(envName, CLIENT_METRICS.newClientErrorKinds, 'Sum', CLIENT_ALARM_PERIOD),
      threshold: 1,
      comparison: AT_LEAST,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: NOT_BREACHING,
      missingDataWhy: noReports,
    },
    {
      slug: 'csp-enforced-blocking',
      severity: 'warning',
      why: `The enforced Content-Security-Policy blocked ${CSP_BLOCKS_PER_MINUTE}+ loads in a minute: part of the app may be broken for patients. See saved query ${queryDefinitionName(envName, 'what-the-csp-blocked')} and npm run csp-report -- --env ${envName}.`,
      runbook: 'csp-blocking',
      metric: client(envName, CLIENT_METRICS.cspViolations, 'Sum', Duration.minutes(1), { Disposition: 'enforce' }),
      threshold: CSP_BLOCKS_PER_MINUTE,
      comparison: AT_LEAST,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: NOT_BREACHING,
      missingDataWhy: noReports,
    },
    {
      slug: 'web-vitals-lcp',
      severity: 'warning',
      why: `p75 Largest Contentful Paint above ${VITALS_THRESHOLDS.lcpMs} ms (Google's "good" limit) for 15 minutes: pages feel slow to most patients.`,
      runbook: 'slow-pages',
      metric: client(envName, 'LCP', 'p75', Duration.minutes(5)),
      threshold: VITALS_THRESHOLDS.lcpMs,
      comparison: ABOVE,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      treatMissingData: NOT_BREACHING,
      missingDataWhy: 'no page loads reported vitals in the period.',
    },
    {
      slug: 'web-vitals-inp',
      severity: 'warning',
      why: `p75 Interaction to Next Paint above ${VITALS_THRESHOLDS.inpMs} ms (Google's "good" limit) for 15 minutes: taps and clicks answer late.`,
      runbook: 'slow-pages',
      metric: client(envName, 'INP', 'p75', Duration.minutes(5)),
      threshold: VITALS_THRESHOLDS.inpMs,
      comparison: ABOVE,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      treatMissingData: NOT_BREACHING,
      missingDataWhy: 'no interactions reported in the period.',
    },
  ];
}
