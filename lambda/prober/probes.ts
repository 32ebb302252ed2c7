/**
 * What one probe checks. A 200 from `/` is not enough: the SPA rewrite answers 200 for any path, so a broken deploy
 * (empty release, wrong pointer) still "works"; the probe also needs the build marker in the HTML and one hashed
 * asset of the release the HTML names.
 */

import { BUILD_MARKER } from '../shared/build-marker';

/** The marker the deploy writes into every released index.html (lambda/shared/build-marker.ts). */
export { BUILD_MARKER };

export type TargetName = 'site' | 'asset' | 'canary' | 'health' | 'health-db' | 'health-apis';

/**
 * The canary's probes carry the lowest bucket (lib/site/routing/assignment.js), which any canary above weight 0 serves:
 * they probe the canary while one serves, live otherwise. One target covers its page and asset: one metric, one alarm.
 */
export const CANARY_PROBE_HEADERS = { cookie: 'miko-bucket=0' };

export interface ProbeOutcome {
  readonly ok: boolean;
  readonly latencyMs: number;
  /** Response body when the probe needs it for a follow-up (the site's HTML, a health answer). Never logged. */
  readonly body?: string;
}

/** The first hashed asset (`/assets/<name>-<hash>.<ext>`) the HTML loads, which exists only in its own release. */
export function hashedAssetPath(html: string): string | undefined {
  return /(?:src|href)="(\/assets\/[A-Za-z0-9._-]+-[A-Za-z0-9_-]{6,}\.(?:js|css))"/.exec(html)?.[1];
}

export type Validator = (status: number, body: string) => boolean;

export const VALIDATORS: Record<TargetName, Validator> = {
  site: (status, body) => status === 200 && body.includes(BUILD_MARKER),
  asset: (status) => status === 200,
  canary: (status, body) => status === 200 && body.includes(BUILD_MARKER),
  health: (status) => status === 200,
  // 503 still carries a parseable per-check answer; the target itself is "up" when the endpoint answered at all.
  'health-db': (status) => status === 200,
  'health-apis': (status) => status === 200,
};

/**
 * HEAD for the asset: whether the live release's file is served is all we need, and downloading a bundle every
 * 5 s would cost gigabytes of CloudFront transfer a day.
 */
export const METHODS: Record<TargetName, 'GET' | 'HEAD'> = {
  site: 'GET',
  asset: 'HEAD',
  canary: 'GET',
  health: 'GET',
  'health-db': 'GET',
  'health-apis': 'GET',
};

/** One attempt: fetch with a timeout, then validate. Never throws. */
export async function attempt(
  url: string,
  validate: Validator,
  timeoutMs: number,
  method: 'GET' | 'HEAD' = 'GET',
  headers: Record<string, string> = {},
): Promise<ProbeOutcome> {
  const started = performance.now();
  try {
    const response = await fetch(url, {
      method,
      signal: AbortSignal.timeout(timeoutMs),
      headers: { 'user-agent': 'miko-prober/1', 'cache-control': 'no-cache', ...headers },
    });
    const body = await response.text();
    return { ok: validate(response.status, body), latencyMs: performance.now() - started, body };
  } catch {
    return { ok: false, latencyMs: performance.now() - started };
  }
}

/** A failed attempt is retried once before it counts, so one dropped packet does not page anybody. */
export async function probe(
  url: string,
  validate: Validator,
  timeoutMs: number,
  method: 'GET' | 'HEAD' = 'GET',
  headers: Record<string, string> = {},
): Promise<ProbeOutcome & { attempts: number }> {
  const first = await attempt(url, validate, timeoutMs, method, headers);
  if (first.ok) return { ...first, attempts: 1 };
  return { ...(await attempt(url, validate, timeoutMs, method, headers)), attempts: 2 };
}

/** Per-check statuses of a `/health/db` or `/health/apis` answer (names and numbers only). */
export function dependencyResults(body: string | undefined): Array<{ check: string; up: boolean; latencyMs: number }> {
  try {
    const checks =
      (JSON.parse(body ?? '') as { checks?: Record<string, { status?: unknown; latencyMs?: unknown }> }).checks ?? {};
    return Object.entries(checks)
      .filter(([name, r]) => /^[a-z][a-z0-9-]{0,39}$/.test(name) && typeof r?.latencyMs === 'number')
      .map(([check, r]) => ({ check, up: r.status === 'pass', latencyMs: r.latencyMs as number }));
  } catch {
    return [];
  }
}
