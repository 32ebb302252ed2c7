/**
 * The synthetic prober, started once a minute by an EventBridge rule: probes the site, one hashed asset of the live
 * release and the health API every few seconds for a little over a minute (see schedule.ts), publishing
 * high-resolution metrics the 10-second alarms read. Thin: settings and clock in, runWindow does the work.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecretCache } from '../health/secret-cache';
import { probeTokenHeaderValue, tokenReader, validTokens } from '../shared/probe-token';
import { ProberSettings, runWindow } from './run';
import { windowStart } from './schedule';
import { SETTINGS_VARIABLE } from './settings';

const settings = JSON.parse(process.env[SETTINGS_VARIABLE] ?? '{}') as ProberSettings;
const cloudWatch = new CloudWatchClient({});
const readToken = tokenReader(new SecretsManagerClient({}));
// Both valid tokens, so a rotation cannot lock the prober out whichever side's cache is older (probe-token.ts).
const tokens = new SecretCache(async (name) => probeTokenHeaderValue(await validTokens(readToken, name)));
const probeToken = settings.probeToken
  ? () => tokens.read(settings.probeToken!.secretName, AbortSignal.timeout(2000))
  : undefined;

interface ScheduledEvent {
  readonly time?: string;
}

export async function handler(
  event: ScheduledEvent,
  context?: { getRemainingTimeInMillis(): number },
): Promise<{ slots: number; publishFailures: number }> {
  const now = Date.now();
  const stopAtMs = context ? now + context.getRemainingTimeInMillis() : undefined;
  const result = await runWindow(settings, windowStart(event.time, now, settings.slotMs), {
    cloudWatch,
    stopAtMs,
    probeToken,
  });
  console.log(JSON.stringify({ event: 'window-done', ...result }));
  return result;
}
