/**
 * Subscribed to the critical topic: tells PagerDuty about each alarm and event, reading the integration key from
 * Secrets Manager (a subscription URL would expose it to sns:ListSubscriptions). A failed delivery throws: Lambda
 * retries, then the alerting dead-letter queue's alarm emails on-call (lib/monitoring/pager-subscriber.ts).
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { credentialFrom } from '../health/checks';
import { SecretCache, secretsManagerReader } from '../health/secret-cache';
import { PagerEvent, pagerEventFor } from './events';

/** The pager answers in well under a second; past this the invocation fails and is retried. */
const PAGER_TIMEOUT_MS = 5000;

export interface PagerSettings {
  readonly eventsUrl: string;
  readonly secretName: string;
  readonly jsonField?: string;
  /** Shown as the incident's source, e.g. "miko-production". */
  readonly source: string;
  /** Where runbook paths resolve, e.g. "https://github.com/<owner>/<repo>/blob/main/". */
  readonly runbookBaseUrl?: string;
}

interface SnsEvent {
  readonly Records: ReadonlyArray<{ readonly Sns: { readonly Message: string; readonly MessageId?: string } }>;
}

export class PagerDeliveryError extends Error {
  override readonly name = 'PagerDeliveryError';
}

/** Sends one event. The routing key goes in the body, where the Events API takes it; never in a URL or a log. */
export async function sendToPager(settings: PagerSettings, routingKey: string, event: PagerEvent): Promise<void> {
  let response: Response;
  try {
    response = await fetch(settings.eventsUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ routing_key: routingKey, ...event }),
      // A redirect would re-send the body (and the key) elsewhere.
      redirect: 'error',
      signal: AbortSignal.timeout(PAGER_TIMEOUT_MS),
    });
  } catch (error) {
    throw new PagerDeliveryError(
      `the pager could not be reached (${(error as Error).name === 'TimeoutError' ? 'timed out' : 'no connection or a redirect'})`,
    );
  }
  await response.body?.cancel().catch(() => undefined);
  if (response.status !== 202)
    throw new PagerDeliveryError(
      `the pager answered HTTP ${response.status} to ${event.event_action} ${event.dedup_key}`,
    );
}

export function pagerHandler(
  settings: PagerSettings,
  readSecret: (name: string, signal: AbortSignal) => Promise<string>,
) {
  return async (event: SnsEvent): Promise<void> => {
    for (const record of event.Records) {
      const pagerEvent = pagerEventFor(record.Sns.Message, settings.source, settings.runbookBaseUrl);
      if (!pagerEvent) continue;
      const routingKey = credentialFrom(
        await readSecret(settings.secretName, AbortSignal.timeout(PAGER_TIMEOUT_MS)),
        settings.jsonField,
      );
      await sendToPager(settings, routingKey, pagerEvent);
      console.log(JSON.stringify({ sent: pagerEvent.event_action, dedupKey: pagerEvent.dedup_key }));
    }
  };
}

export const SETTINGS_VARIABLE = 'PAGER_SETTINGS';

function readSettings(): PagerSettings {
  const raw = process.env[SETTINGS_VARIABLE];
  if (!raw) throw new Error(`${SETTINGS_VARIABLE} is not set`);
  return JSON.parse(raw) as PagerSettings;
}

let handle: ReturnType<typeof pagerHandler> | undefined;
export const handler = (event: SnsEvent): Promise<void> => {
  handle ??= pagerHandler(readSettings(), new SecretCache(secretsManagerReader(new SecretsManagerClient({}))).read);
  return handle(event);
};
