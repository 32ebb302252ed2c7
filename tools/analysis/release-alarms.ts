/**
 * Which critical alarms a release can set off, and how long verify must watch. Thrown JavaScript is judged by
 * verify's own Chromium, not forgeable browser reports; Supabase and rotation alarms page but are not blamed on the
 * release. The settle window is the longest modeled time to detect among its alarms (the `npm run ttd` model).
 */
import { DetectionRow, timeToDetect } from './time-to-detect';
import type { Template } from './template';

/** The slugs (`miko-<env>-critical-<slug>`) of the critical alarms a release can cause. */
export const RELEASE_RELATED_CRITICAL_SLUGS = [
  'site-down',
  'release-asset-missing',
  'error-rate-5xx',
  'latency-3s',
  'route53-unhealthy',
] as const;

export const isReleaseRelated = (alarmName: string) =>
  RELEASE_RELATED_CRITICAL_SLUGS.some((slug) => alarmName.endsWith(`-critical-${slug}`));

export interface SettleWindow {
  readonly seconds: number;
  /** The alarm that sets it (the slowest to detect). */
  readonly setBy: DetectionRow;
}

/** A detection row names its alarm first, then may say which path it models: `miko-x-critical-y (count)`. */
const alarmNameOf = (row: DetectionRow) => row.alarm.split(' ')[0];

/** The model's rows for the critical alarms a release can cause (all in the Monitoring stack). */
export function releaseRelatedRows(monitoringTemplate: Template): DetectionRow[] {
  return timeToDetect(monitoringTemplate).filter((row) => isReleaseRelated(alarmNameOf(row)));
}

/** From the Monitoring stack's synthesized template. */
export function settleWindow(monitoringTemplate: Template): SettleWindow {
  const rows = releaseRelatedRows(monitoringTemplate);
  if (rows.length === 0) throw new Error('the Monitoring template has no release-related critical alarm to settle on');
  const setBy = rows.reduce((slowest, row) => (row.seconds > slowest.seconds ? row : slowest));
  return { seconds: setBy.seconds, setBy };
}
