/**
 * Stops a canary when a trusted signal fires: weight to 0 in one conditional write, an audit record, and a notice of
 * which release was stopped and why. Only alarms an outsider cannot forge (the prober's canary probes, verify's
 * browser check) reach it; nothing a browser sends can abort a canary.
 */
import type { CloudFrontKeyValueStoreClient } from '@aws-sdk/client-cloudfront-keyvaluestore';
import type { S3Client } from '@aws-sdk/client-s3';
import { appendAuditRecord } from '../shared/audit-log';
import { updateReleaseState } from '../shared/release-store';

/** What CloudWatch passes a Lambda alarm action (the fields we read). */
export interface AlarmActionEvent {
  readonly alarmArn?: string;
  readonly alarmData: {
    readonly alarmName: string;
    readonly state: { readonly value: string; readonly reason?: string };
  };
}

export interface AbortSettings {
  readonly environment: string;
  readonly kvsArn: string;
  readonly auditBucket: string;
}

export interface AbortClients {
  readonly kvs: CloudFrontKeyValueStoreClient;
  readonly s3: S3Client;
  /** Tells on-call (the warning topic in AWS). */
  readonly notify: (subject: string, message: string) => Promise<void>;
  readonly log?: (line: Record<string, unknown>) => void;
}

export type AbortOutcome =
  | { readonly aborted: true; readonly release: string; readonly weight: number }
  | { readonly aborted: false; readonly why: string };

/** SNS refuses subjects over 100 characters. */
const MAX_SUBJECT = 100;

export async function abortCanary(
  event: AlarmActionEvent,
  settings: AbortSettings,
  clients: AbortClients,
): Promise<AbortOutcome> {
  const log = clients.log ?? ((line) => console.log(JSON.stringify(line)));
  const alarm = event.alarmData.alarmName;
  if (event.alarmData.state.value !== 'ALARM')
    return { aborted: false, why: `${alarm} is ${event.alarmData.state.value}` };
  const because = `${alarm}: ${event.alarmData.state.reason ?? 'in ALARM'}`;
  const { before, change } = await updateReleaseState(clients.kvs, settings.kvsArn, (state) =>
    state.canary && state.canary.weight > 0
      ? { canary: { ...state.canary, weight: 0, abortedBecause: because } }
      : undefined,
  );
  if (!change) {
    log({ event: 'no canary serving', alarm });
    return { aborted: false, why: 'no canary is serving' };
  }
  const { release, weight } = before.canary!;
  log({ event: 'canary aborted', release, weight, alarm });
  // Told before recording: on-call hears of the abort even when the trail cannot be written.
  await clients.notify(
    `MiKO ${settings.environment}: canary ${release} aborted`.slice(0, MAX_SUBJECT),
    [
      `The canary ${release} served ${weight} % of browsers; it now serves none (weight 0). Live stays ${before.live ?? 'none'}.`,
      `Why: ${because}`,
      `Next: look at the alarm, then start a fixed release (npm run release -- --env ${settings.environment} --canary <release> --reason "…").`,
    ].join('\n'),
  );
  await appendAuditRecord(clients.s3, settings.auditBucket, {
    env: settings.environment,
    action: 'canary-abort',
    who: `canary-abort function (${event.alarmArn ?? alarm})`,
    before: { canary: before.canary },
    after: { canary: change.canary },
    why: because,
  });
  return { aborted: true, release, weight };
}
