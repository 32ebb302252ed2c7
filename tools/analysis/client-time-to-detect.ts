/**
 * Worst-case time to detect browser errors, from the SYNTHESIZED client alarms and collector bounds. Direct notice:
 * send (≤ CLIENT_SEND_S), then the bounded write, caps and SNS publish. Alarm backstop and spike: EMF extraction
 * (EMF_EXTRACTION_S, assumed: AWS documents none), a whole period of alignment, then `datapointsToAlarm` periods.
 */
import { SETTINGS_VARIABLE } from '../../lambda/telemetry/settings';
import type { DetectionRow } from './time-to-detect';
import { alarmsOf, EvaluatedAlarm, lambdaSettings, Template } from './template';

/** Error → beacon on the wire → collector (a page's own request, over an open connection). */
export const CLIENT_SEND_S = 1;
/** EMF log line → high-resolution datapoint visible to alarms (assumption). */
export const EMF_EXTRACTION_S = 10;
/** SNS publish → e-mail/Slack delivery (assumption). */
export const SNS_DELIVERY_S = 5;

interface CollectorSettings {
  readonly novelty: { readonly timeoutMs: number };
  readonly notify: { readonly timeoutMs: number };
}

function collectorBounds(telemetry: Template): { storeS: number; notifyS: number } {
  const settings = lambdaSettings<CollectorSettings>(telemetry, SETTINGS_VARIABLE);
  if (!settings) throw new Error(`no collector Lambda (${SETTINGS_VARIABLE}) in the Telemetry template`);
  return { storeS: settings.novelty.timeoutMs / 1000, notifyS: settings.notify.timeoutMs / 1000 };
}

function alarmNamed(monitoring: Template, suffix: string): EvaluatedAlarm {
  const alarm = alarmsOf(monitoring).find((a) => a.AlarmName.endsWith(suffix));
  if (!alarm) throw new Error(`no alarm *${suffix} in the Monitoring template`);
  return alarm;
}

/** A metric-math alarm has no Period of its own: its inputs' period is the one evaluated. */
const periodOf = (alarm: EvaluatedAlarm): number =>
  alarm.Period ?? alarm.Metrics?.find((m) => m.MetricStat)?.MetricStat?.Period ?? 0;

function metricAlarmRow(alarm: EvaluatedAlarm, what: string): DetectionRow {
  const periodS = periodOf(alarm);
  const seconds = CLIENT_SEND_S + periodS + alarm.DatapointsToAlarm * periodS + EMF_EXTRACTION_S;
  return {
    alarm: `${alarm.AlarmName} (${what})`,
    seconds,
    how: `send ${CLIENT_SEND_S} s + alignment ${periodS} s + ${alarm.DatapointsToAlarm}×${periodS} s periods + EMF extraction ${EMF_EXTRACTION_S} s`,
  };
}

export function clientTimeToDetect(monitoring: Template, telemetry: Template): DetectionRow[] {
  const { storeS, notifyS } = collectorBounds(telemetry);
  const newKind = alarmNamed(monitoring, '-warning-new-client-error-kind');
  // The novelty write and the notice caps' counters are each bounded by the store timeout.
  const direct = CLIENT_SEND_S + 2 * storeS + notifyS + SNS_DELIVERY_S;
  return [
    {
      alarm: 'new client error kind (collector notice → warning topic)',
      seconds: direct,
      how: `send ${CLIENT_SEND_S} s + store ≤${storeS} s + notice caps ≤${storeS} s + publish ≤${notifyS} s + SNS delivery ${SNS_DELIVERY_S} s`,
    },
    metricAlarmRow(newKind, 'backstop'),
    metricAlarmRow(alarmNamed(monitoring, '-warning-client-error-spike'), 'count'),
  ];
}
