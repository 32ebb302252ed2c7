/**
 * One prober invocation: probe every due target at each wall-clock slot of its window and publish the results.
 * Slots are started on time even when an earlier one is still running, so a slow probe never shifts the cadence.
 */
import { CloudWatchClient, MetricDatum, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { heartbeatDatum, SYNTHETICS_NAMESPACE, targetData } from './metrics';
import {
  CANARY_PROBE_HEADERS,
  dependencyResults,
  hashedAssetPath,
  METHODS,
  probe,
  TargetName,
  VALIDATORS,
} from './probes';
import { isDue, slotsToProbe, SLOT_MS, WINDOW_MS } from './schedule';
import { PROBE_TOKEN_HEADER, ProbeTokenSettings } from '../shared/probe-token';

/** Above the 3 s critical latency threshold, so a slow-but-up site is measured as slow, not counted as down. */
export const PROBE_TIMEOUT_MS = 3_500;

export interface ProberSettings {
  readonly environment: string;
  /** https://<domain>, without a trailing slash. */
  readonly siteUrl: string;
  readonly slotMs?: number;
  readonly windowMs?: number;
  readonly timeoutMs?: number;
  /** The secret whose value /health/db and /health/apis require (lambda/shared/probe-token.ts). */
  readonly probeToken?: ProbeTokenSettings;
  /** Also probe the canary (environments that deploy canaries: config site.canary). */
  readonly canary?: boolean;
}

/** How often each target is probed, in slots: the site every slot; health every 10 s; dependencies once a minute (they cost a Supabase/n8n call and fall under the WAF's /health* rate limit). */
export const TARGET_EVERY_SLOTS: Record<TargetName, number> = {
  site: 1,
  asset: 1,
  canary: 1,
  health: 2,
  'health-db': 12,
  'health-apis': 12,
};

const TARGET_PATHS: Record<Exclude<TargetName, 'asset' | 'canary'>, string> = {
  site: '/',
  health: '/health',
  'health-db': '/health/db',
  'health-apis': '/health/apis',
};

/** The live release's asset, remembered across slots and warm invocations (it changes only with a deploy). */
let knownAssetPath: string | undefined;
/** The same for the release the canary's bucket is served. */
let knownCanaryAssetPath: string | undefined;

export interface RunDependencies {
  readonly cloudWatch: CloudWatchClient;
  readonly now?: () => number;
  /** Stops scheduling slots past this time (the Lambda's own deadline). */
  readonly stopAtMs?: number;
  readonly log?: (line: Record<string, unknown>) => void;
  /** The prober's token for the deep health paths (read from Secrets Manager, cached). */
  readonly probeToken?: () => Promise<string>;
}

async function probeSlot(
  settings: ProberSettings,
  slotMs: number,
  slotLength: number,
  timeoutMs: number,
  log: (line: Record<string, unknown>) => void,
  probeToken?: () => Promise<string>,
): Promise<MetricDatum[]> {
  const at = new Date(slotMs);
  const due = (name: TargetName) => isDue({ everySlots: TARGET_EVERY_SLOTS[name] }, slotMs, slotLength);
  const data: MetricDatum[] = [heartbeatDatum(settings.environment, at)];

  const probeSite = async () => {
    const outcome = await probe(`${settings.siteUrl}/`, VALIDATORS.site, timeoutMs);
    data.push(...targetData(settings.environment, 'site', outcome.ok, outcome.latencyMs, at));
    if (outcome.ok) knownAssetPath = hashedAssetPath(outcome.body ?? '') ?? knownAssetPath;
  };
  const probeAsset = async () => {
    if (!knownAssetPath) return; // no release seen yet: nothing honest to report
    const outcome = await probe(`${settings.siteUrl}${knownAssetPath}`, VALIDATORS.asset, timeoutMs, METHODS.asset);
    data.push(...targetData(settings.environment, 'asset', outcome.ok, outcome.latencyMs, at));
  };
  // The canary's page, then the asset its HTML names (as the asset probe does for live), both with the canary's
  // bucket cookie (CANARY_PROBE_HEADERS): the target fails when either does.
  const probeCanary = async () => {
    const page = await probe(`${settings.siteUrl}/`, VALIDATORS.canary, timeoutMs, 'GET', CANARY_PROBE_HEADERS);
    if (page.ok) knownCanaryAssetPath = hashedAssetPath(page.body ?? '') ?? knownCanaryAssetPath;
    const asset =
      page.ok && knownCanaryAssetPath
        ? await probe(
            `${settings.siteUrl}${knownCanaryAssetPath}`,
            VALIDATORS.asset,
            timeoutMs,
            METHODS.asset,
            CANARY_PROBE_HEADERS,
          )
        : undefined;
    const ok = page.ok && (asset?.ok ?? true);
    data.push(...targetData(settings.environment, 'canary', ok, page.latencyMs + (asset?.latencyMs ?? 0), at));
  };
  const probePath = async (name: Exclude<TargetName, 'site' | 'asset' | 'canary'>) => {
    // The deep paths answer the prober only; a token that cannot be read is a probe that cannot pass.
    const token = name !== 'health' && probeToken ? await probeToken().catch(() => '') : undefined;
    const outcome = await probe(
      `${settings.siteUrl}${TARGET_PATHS[name]}`,
      VALIDATORS[name],
      timeoutMs,
      'GET',
      token === undefined ? {} : { [PROBE_TOKEN_HEADER]: token },
    );
    data.push(...targetData(settings.environment, name, outcome.ok, outcome.latencyMs, at));
    // A log line, not metrics: the dashboard's Logs Insights widget reads it (see metrics.ts for why).
    const dependencies = dependencyResults(outcome.body);
    log({
      event: 'probe',
      target: name,
      slot: at.toISOString(),
      ok: outcome.ok,
      latencyMs: Math.round(outcome.latencyMs),
      ...(dependencies.length ? { dependencies } : {}),
    });
  };

  const site = probeSite();
  // Without a known asset (cold start), the site's HTML has to name it first.
  if (!knownAssetPath) await site;
  await Promise.all([
    site,
    due('asset') ? probeAsset() : undefined,
    settings.canary && due('canary') ? probeCanary() : undefined,
    ...(['health', 'health-db', 'health-apis'] as const).filter(due).map(probePath),
  ]);
  return data;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Probes each slot of the window starting at `windowStartMs`; resolves when every slot's metrics are sent. */
export async function runWindow(
  settings: ProberSettings,
  windowStartMs: number,
  deps: RunDependencies,
): Promise<{ slots: number; publishFailures: number }> {
  const now = deps.now ?? Date.now;
  const slotLength = settings.slotMs ?? SLOT_MS;
  const timeoutMs = settings.timeoutMs ?? PROBE_TIMEOUT_MS;
  const log = deps.log ?? ((line) => console.log(JSON.stringify(line)));
  let publishFailures = 0;
  const running: Promise<void>[] = [];
  for (const slot of slotsToProbe(windowStartMs, now(), slotLength, settings.windowMs ?? WINDOW_MS)) {
    // Leave time for the slot's probes (two attempts) and its PutMetricData before the Lambda is cut off.
    if (deps.stopAtMs !== undefined && slot + 2 * timeoutMs + 1_000 > deps.stopAtMs) break;
    await sleep(slot - now());
    running.push(
      probeSlot(settings, slot, slotLength, timeoutMs, log, deps.probeToken).then(async (data) => {
        try {
          await deps.cloudWatch.send(new PutMetricDataCommand({ Namespace: SYNTHETICS_NAMESPACE, MetricData: data }));
        } catch (error) {
          publishFailures++;
          // The error's name only: the heartbeat alarm notices if publishing keeps failing.
          log({ event: 'publish-failed', slot: new Date(slot).toISOString(), error: (error as Error).name });
        }
      }),
    );
  }
  await Promise.all(running);
  return { slots: running.length, publishFailures };
}

/** For tests: forget the remembered asset (a fresh execution environment). */
export function resetProberState(): void {
  knownAssetPath = undefined;
  knownCanaryAssetPath = undefined;
}

export { WINDOW_MS };
