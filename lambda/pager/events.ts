/**
 * What the pager is told, from what the critical topic carries: a CloudWatch alarm's state change or an
 * EventBridge event (Secrets Manager's RotationFailed / RotationAbandoned). PagerDuty Events API v2 shape:
 * `trigger` opens (or re-notifies) the incident of a `dedup_key`, `resolve` closes it.
 *
 *  - ALARM → trigger, OK → resolve, both with the alarm's ARN as dedup_key, so an alarm's recovery closes the very
 *    incident it opened; INSUFFICIENT_DATA tells the pager nothing.
 *  - an EventBridge event → trigger, one incident per secret and event; nothing resolves it automatically (the
 *    rotation-errors alarm of the same function resolves its own incident).
 *
 * Only alarm and event metadata is sent (names, state, reason): nothing here ever carries patient data.
 */
export interface PagerEvent {
  readonly event_action: 'trigger' | 'resolve';
  readonly dedup_key: string;
  readonly payload?: {
    readonly summary: string;
    readonly source: string;
    readonly severity: 'critical';
    readonly custom_details: Record<string, string>;
  };
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
export function pagerEventFor(message: string, source: string): PagerEvent | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    throw new UnknownMessageError('the SNS message is not JSON (neither a CloudWatch alarm nor an EventBridge event)');
  }
  if (isAlarm(parsed)) return alarmEvent(parsed, source);
  if (isEvent(parsed)) return ruleEvent(parsed, source);
  throw new UnknownMessageError('the SNS message is neither a CloudWatch alarm state change nor an EventBridge event');
}

const isAlarm = (m: any): m is AlarmMessage => typeof m?.AlarmName === 'string' && typeof m?.NewStateValue === 'string';
const isEvent = (m: any): m is EventBridgeEvent =>
  typeof m?.['detail-type'] === 'string' && typeof m?.source === 'string';

function alarmEvent(alarm: AlarmMessage, source: string): PagerEvent | undefined {
  const dedup_key = alarm.AlarmArn ?? alarm.AlarmName;
  if (alarm.NewStateValue === 'OK') return { event_action: 'resolve', dedup_key };
  if (alarm.NewStateValue !== 'ALARM') return undefined;
  return {
    event_action: 'trigger',
    dedup_key,
    payload: {
      summary: shorten(`${alarm.AlarmName}: ${alarm.NewStateReason ?? 'in ALARM'}`),
      source,
      severity: 'critical',
      custom_details: { alarm: alarm.AlarmName, description: alarm.AlarmDescription ?? '', region: alarm.Region ?? '' },
    },
  };
}

function ruleEvent(event: EventBridgeEvent, source: string): PagerEvent {
  const what = event.detail?.eventName ?? event['detail-type'];
  const subject =
    event.detail?.additionalEventData?.SecretId ??
    event.detail?.requestParameters?.secretId ??
    event.resources?.[0] ??
    event.source;
  return {
    event_action: 'trigger',
    dedup_key: `${event.source}:${what}:${subject}`,
    payload: {
      summary: shorten(`${what}: ${subject}`),
      source,
      severity: 'critical',
      custom_details: { event: what, subject, region: event.region ?? '' },
    },
  };
}
