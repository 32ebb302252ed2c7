/**
 * Worst-case time to detect per critical alarm, from the SYNTHESIZED template and the prober's Lambda settings.
 * Prober alarms: the outage starts just after a probe; the next comes a sample interval later, takes up to two
 * attempt timeouts, and fires at the first period boundary after arrival plus (datapoints to alarm − 1) periods,
 * maximized over the slot's place in its period. AWS metrics: alignment (P × threshold % for a rate, else P), the
 * breaching periods and an assumed publication delay (docs/readme/monitoring.md); Route53 adds `failureThreshold`.
 */
import { SLOT_MS } from '../../lambda/prober/schedule';
import { TARGET_EVERY_SLOTS } from '../../lambda/prober/run';
import { SETTINGS_VARIABLE } from '../../lambda/prober/settings';
import {
  AWS_NAMESPACES,
  BACKUP_METRICS,
  BACKUP_NAMESPACE,
  PROBER_METRICS,
  SYNTHETICS_NAMESPACE,
} from '../../lib/monitoring/metrics';
import { alarmsOf, EvaluatedAlarm, lambdaSettings, Resource, resourcesOf, Template } from './template';
import { BACKUP_AGE_SCHEDULE_MINUTES } from '../../lib/backups/backup-age-function';

/** PutMetricData to visible-to-alarms, for our own high-resolution metrics. */
export const OWN_METRIC_PUBLICATION_S = 2;
/** Assumed delay until a per-minute AWS service datapoint is visible to alarms. */
export const AWS_METRIC_PUBLICATION_S: Record<string, number> = {
  [AWS_NAMESPACES.cloudFront]: 45,
  [AWS_NAMESPACES.route53]: 45,
};

export interface DetectionRow {
  readonly alarm: string;
  readonly seconds: number;
  readonly how: string;
}

interface ProberTimings {
  readonly slotMs: number;
  readonly timeoutMs: number;
}

function proberTimings(template: Template): ProberTimings {
  const settings = lambdaSettings<{ slotMs?: number; timeoutMs?: number }>(template, SETTINGS_VARIABLE);
  if (!settings) throw new Error(`no prober Lambda (${SETTINGS_VARIABLE}) in the template`);
  return { slotMs: settings.slotMs ?? SLOT_MS, timeoutMs: settings.timeoutMs ?? 0 };
}

/** First period boundary at or after `arrivalS`, for a slot `offsetS` into its period. */
function boundaryAfter(offsetS: number, arrivalS: number, periodS: number): number {
  return Math.ceil((offsetS + arrivalS) / periodS) * periodS - offsetS;
}

function proberEvent(
  alarm: EvaluatedAlarm,
  timings: ProberTimings,
  publicationS = OWN_METRIC_PUBLICATION_S,
): { seconds: number; how: string } {
  const target = alarm.Dimensions?.find((d) => d.Name === 'Target')?.Value as keyof typeof TARGET_EVERY_SLOTS;
  const intervalS = (timings.slotMs / 1000) * TARGET_EVERY_SLOTS[target];
  // The canary target probes its page, then the asset the page names: two probes of two attempts in a row.
  const attempts = target === ('canary' as string) ? 4 : 2;
  const probeS = (attempts * timings.timeoutMs) / 1000;
  const periodS = alarm.Period;
  const arrivalS = probeS + publicationS;
  // Where a slot can fall inside its period: multiples of the sample interval (or of the period, if longer).
  const step = Math.min(intervalS, periodS);
  let worstEvaluation = 0;
  for (let offset = 0; offset < periodS; offset += step)
    worstEvaluation = Math.max(worstEvaluation, boundaryAfter(offset, arrivalS, periodS));
  const seconds = intervalS + worstEvaluation + (alarm.DatapointsToAlarm - 1) * periodS;
  return {
    seconds,
    how: `next probe ≤${intervalS} s + probe&retry ${probeS} s + publish ${publicationS} s → evaluated ≤${worstEvaluation} s after the probe + ${alarm.DatapointsToAlarm - 1}×${periodS} s more periods`,
  };
}

function awsMetric(alarm: EvaluatedAlarm, route53Checks: Resource[]): { seconds: number; how: string } {
  const periodS = alarm.Period;
  const delay = AWS_METRIC_PUBLICATION_S[alarm.Namespace ?? ''] ?? 60;
  const isRate = /Rate$/.test(alarm.MetricName ?? '');
  const alignment = isRate ? (periodS * alarm.Threshold) / 100 : periodS;
  let checkers = 0;
  if (alarm.Namespace === AWS_NAMESPACES.route53) {
    const config = route53Checks[0]?.Properties?.HealthCheckConfig as
      { RequestInterval: number; FailureThreshold: number } | undefined;
    checkers = config ? config.RequestInterval * config.FailureThreshold : 0;
  }
  const seconds = checkers + (checkers ? 0 : alignment) + alarm.DatapointsToAlarm * periodS + delay;
  const first = checkers ? `checkers ${checkers} s` : `alignment ${alignment} s`;
  return { seconds, how: `${first} + ${alarm.DatapointsToAlarm}×${periodS} s periods + publication ${delay} s` };
}

/** One row per critical alarm in a Monitoring stack template. */
export interface TimeToDetectOptions {
  /** PutMetricData to visible-to-alarms for our own metrics (default OWN_METRIC_PUBLICATION_S); for what-if levers. */
  readonly ownMetricPublicationS?: number;
}

export function timeToDetect(template: Template, options: TimeToDetectOptions = {}): DetectionRow[] {
  const timings = proberTimings(template);
  const route53Checks = resourcesOf(template).filter((r) => r.Type === 'AWS::Route53::HealthCheck');
  return (
    alarmsOf(template)
      .filter((alarm) => /-critical-/.test(alarm.AlarmName))
      // Browser-reported alarms have their own model (client-time-to-detect.ts).
      .filter((alarm) => !/-critical-client-/.test(alarm.AlarmName))
      .map((alarm) => {
        const isProberEvent =
          alarm.Namespace === SYNTHETICS_NAMESPACE &&
          alarm.MetricName === PROBER_METRICS.failure &&
          alarm.Statistic === 'Maximum';
        const isProberAggregate = alarm.Namespace === SYNTHETICS_NAMESPACE && !isProberEvent;
        const result = isProberEvent
          ? proberEvent(alarm, timings, options.ownMetricPublicationS)
          : isProberAggregate
            ? {
                seconds: (alarm.DatapointsToAlarm + 1) * alarm.Period + OWN_METRIC_PUBLICATION_S,
                how: `alignment ${alarm.Period} s + ${alarm.DatapointsToAlarm}×${alarm.Period} s periods of ${alarm.ExtendedStatistic ?? alarm.Statistic} + publish ${OWN_METRIC_PUBLICATION_S} s`,
              }
            : awsMetric(alarm, route53Checks);
        return { alarm: alarm.AlarmName, ...result };
      })
  );
}

/**
 * The backups' warnings, from the moment their condition is true. A run's datapoint arrives at its end and counts at
 * the next period boundary; the age function runs every BACKUP_AGE_SCHEDULE_MINUTES, adding one interval.
 */
export function backupTimeToDetect(template: Template): DetectionRow[] {
  return alarmsOf(template)
    .filter((alarm) => alarm.Namespace === BACKUP_NAMESPACE)
    .map((alarm) => {
      const measuredEveryS = [BACKUP_METRICS.ageHours, BACKUP_METRICS.drillAgeHours].some((m) => m === alarm.MetricName)
        ? BACKUP_AGE_SCHEDULE_MINUTES * 60
        : 0;
      const seconds = measuredEveryS + OWN_METRIC_PUBLICATION_S + alarm.DatapointsToAlarm * alarm.Period;
      const how = `${measuredEveryS ? `next age measurement ≤${measuredEveryS} s + ` : 'published at the end of the run + '}publish ${OWN_METRIC_PUBLICATION_S} s + ${alarm.DatapointsToAlarm}×${alarm.Period} s period`;
      return { alarm: alarm.AlarmName, seconds, how };
    });
}

/** Assumed: CloudWatch's invocation of a Lambda alarm action after the state change (AWS documents no figure). */
export const ALARM_LAMBDA_ACTION_S = 5;
/** The abort function's work: a warm-or-cold start, three KeyValueStore reads and one UpdateKeys. */
export const ABORT_FUNCTION_S = 3;
/** Assumed: a KeyValueStore write reaching every edge ("within seconds", AWS says; measure it in a real account). */
export const KEY_VALUE_STORE_PROPAGATION_S = 10;

/**
 * "Canary bad → weight 0": from the canary's release failing to every edge serving live again, for the canary
 * alarms the prober feeds (verify's browser check of the canary: scripts/verify/canary-check.ts).
 */
export function canaryAbortTime(template: Template): DetectionRow[] {
  const timings = proberTimings(template);
  return alarmsOf(template)
    .filter((alarm) => /-warning-canary-/.test(alarm.AlarmName) && alarm.Namespace === SYNTHETICS_NAMESPACE)
    .map((alarm) => {
      const detected = proberEvent(alarm, timings);
      const after = ALARM_LAMBDA_ACTION_S + ABORT_FUNCTION_S + KEY_VALUE_STORE_PROPAGATION_S;
      return {
        alarm: `canary bad → weight 0 (${alarm.AlarmName})`,
        seconds: detected.seconds + after,
        how: `${detected.how} + alarm action ${ALARM_LAMBDA_ACTION_S} s + abort ${ABORT_FUNCTION_S} s + store propagation ${KEY_VALUE_STORE_PROPAGATION_S} s`,
      };
    });
}
