/**
 * What PagerDuty (Events API v2) is told for an alarm state change or a rotation event: ALARM → trigger, OK →
 * resolve, keyed by the alarm's ARN so recovery closes its own incident; INSUFFICIENT_DATA sends nothing; an event
 * → trigger, one incident per secret and event, never auto-resolved. Only metadata, never patient data.
 */
export interface PagerEvent {
  readonly event_action: 'trigger' | 'resolve';
  readonly dedup_key: string;
  /** The runbook, as a link the pager shows on the incident. */
  readonly links?: ReadonlyArray<{ readonly href: string; readonly text: string }>;
  readonly payload?: {
    readonly summary: string;
    readonly source: string;
    readonly severity: 'critical';
    readonly custom_details: Record<string, string>;
  };
}

/** createPlatformAlarm ends every description with this (lib/monitoring/platform-alarm.ts). */
const RUNBOOK_IN_DESCRIPTION = /Runbook: (docs\/runbooks\/[a-z0-9-]+\.md)/;
/** Secrets Manager's rotation events come from no alarm: their runbook is fixed. */
const ROTATION_EVENT_RUNBOOK = 'docs/runbooks/rotation-failed.md';

/** The runbook as `custom_details.runbook` (its repository path) and, with a base URL, a link. */
function runbookFields(
  path: string | undefined,
  runbookBaseUrl: string | undefined,
): { links?: PagerEvent['links']; details: Record<string, string> } {
  if (!path) return { details: {} };
  const links = runbookBaseUrl ? [{ href: `${runbookBaseUrl}${path}`, text: 'Runbook' }] : undefined;
  return { links, details: { runbook: path } };
}

/** PagerDuty refuses summaries over 1024 characters. */
const MAX_SUMMARY = 1024;
const shorten = (text: string) => (text.length > MAX_SUMMARY ? `${text.slice(0, MAX_SUMMARY - 1)}…` : text);

interface AlarmMessage {
  readonly AlarmName: string;
  readonly AlarmArn?: string;
  readonly AlarmDescription?: string | null;
  readonly NewStateValue: 'ALARM' | 'OK' | 'INSUFFICIENT_DATA';
  readonly NewStateReason?: string;
  readonly Region?: string;
}

interface EventBridgeEvent {
  readonly 'detail-type': string;
  readonly source: string;
  readonly region?: string;
  readonly resources?: string[];
  readonly detail?: {
    eventName?: string;
    additionalEventData?: { SecretId?: string };
    requestParameters?: { secretId?: string };
  };
}

export class UnknownMessageError extends Error {
  override readonly name = 'UnknownMessageError';
}

/** One SNS message → the pager event to send, or undefined when there is nothing to tell. */
export function pagerEventFor(message: string, source: string, runbookBaseUrl?: string): PagerEvent | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    throw new UnknownMessageError('the SNS message is not JSON (neither a CloudWatch alarm nor an EventBridge event)');
  }
  if (isAlarm(parsed)) return alarmEvent(parsed, source, runbookBaseUrl);
  if (isEvent(parsed)) return ruleEvent(parsed, source, runbookBaseUrl);
  throw new UnknownMessageError('the SNS message is neither a CloudWatch alarm state change nor an EventBridge event');
}

const isAlarm = (m: any): m is AlarmMessage => typeof m?.AlarmName === 'string' && typeof m?.NewStateValue === 'string';
const isEvent = (m: any): m is EventBridgeEvent =>
  typeof m?.['detail-type'] === 'string' && typeof m?.source === 'string';

function alarmEvent(alarm: AlarmMessage, source: string, runbookBaseUrl?: string): PagerEvent | undefined {
  const dedup_key = alarm.AlarmArn ?? alarm.AlarmName;
  if (alarm.NewStateValue === 'OK') return { event_action: 'resolve', dedup_key };
  if (alarm.NewStateValue !== 'ALARM') return undefined;
  const description = alarm.AlarmDescription ?? '';
  const runbook = runbookFields(RUNBOOK_IN_DESCRIPTION.exec(description)?.[1], runbookBaseUrl);
  return {
    event_action: 'trigger',
    dedup_key,
    ...(runbook.links && { links: runbook.links }),
    payload: {
      summary: shorten(`${alarm.AlarmName}: ${alarm.NewStateReason ?? 'in ALARM'}`),
      source,
      severity: 'critical',
      custom_details: { alarm: alarm.AlarmName, description, region: alarm.Region ?? '', ...runbook.details },
    },
  };
}

function ruleEvent(event: EventBridgeEvent, source: string, runbookBaseUrl?: string): PagerEvent {
  const what = event.detail?.eventName ?? event['detail-type'];
  const subject =
    event.detail?.additionalEventData?.SecretId ??
    event.detail?.requestParameters?.secretId ??
    event.resources?.[0] ??
    event.source;
  const runbook = runbookFields(
    event.source === 'aws.secretsmanager' ? ROTATION_EVENT_RUNBOOK : undefined,
    runbookBaseUrl,
  );
  return {
    event_action: 'trigger',
    dedup_key: `${event.source}:${what}:${subject}`,
    ...(runbook.links && { links: runbook.links }),
    payload: {
      summary: shorten(`${what}: ${subject}`),
      source,
      severity: 'critical',
      custom_details: { event: what, subject, region: event.region ?? '', ...runbook.details },
    },
  };
}
