/**
 * Dependency checks of `/health/db` and `/health/apis`: every check runs in parallel with its own timeout, all of
 * them inside one overall deadline, and the answer says only pass/fail/timeout and a latency: an upstream body,
 * error string or credential never leaves this module (they can carry patient data, hostnames or keys).
 */

export type CheckGroup = 'db' | 'apis';

/** A check as the Lambda receives it (config with the secret's Secrets Manager name already resolved). */
export interface CheckSpec {
  readonly name: string;
  readonly group: CheckGroup;
  readonly url: string;
  readonly method: 'GET' | 'HEAD';
  readonly expectedStatus: number;
  readonly timeoutMs: number;
  readonly critical: boolean;
  /** Sent as Referer: the site's origin, for a key restricted to the site's referrers. */
  readonly referer?: string;
  readonly auth?: {
    readonly secretName: string;
    readonly header: string;
    readonly format: string;
    readonly jsonField?: string;
  };
}

export type CheckStatus = 'pass' | 'fail' | 'timeout';
export type OverallStatus = 'healthy' | 'degraded' | 'unhealthy';

export interface CheckResult {
  readonly status: CheckStatus;
  readonly latencyMs: number;
}

export interface HealthReport {
  readonly status: OverallStatus;
  readonly checks: Record<string, CheckResult>;
}

/** Reads a secret's value by name; may reject. Cached by the caller (see secret-cache.ts). */
export type SecretReader = (secretName: string, signal: AbortSignal) => Promise<string>;

/** The credential to send: the whole secret string, or one field of a JSON secret. */
export function credentialFrom(secretString: string, jsonField?: string): string {
  if (!jsonField) return secretString;
  const value = (JSON.parse(secretString) as Record<string, unknown>)[jsonField];
  if (typeof value !== 'string' || value === '') throw new Error('secret field missing');
  return value;
}

async function attempt(check: CheckSpec, readSecret: SecretReader, signal: AbortSignal): Promise<CheckStatus> {
  const headers: Record<string, string> = { 'user-agent': 'miko-health/1', accept: 'application/json' };
  if (check.referer) headers.referer = check.referer;
  if (check.auth) {
    const credential = credentialFrom(await readSecret(check.auth.secretName, signal), check.auth.jsonField);
    headers[check.auth.header] = check.auth.format.replace('{secret}', credential);
  }
  // redirect: 'manual' so a check never follows an upstream to a host we did not configure (and send it the key).
  const response = await fetch(check.url, { method: check.method, headers, signal, redirect: 'manual' });
  // The body is never read: drop it so the connection is freed (and nothing of it can be echoed).
  await response.body?.cancel().catch(() => undefined);
  return response.status === check.expectedStatus ? 'pass' : 'fail';
}

/** Runs one check within min(its timeout, the overall deadline); never throws. */
export async function runCheck(
  check: CheckSpec,
  readSecret: SecretReader,
  deadline: AbortSignal,
  now: () => number = performance.now.bind(performance),
): Promise<CheckResult> {
  const started = now();
  const signal = AbortSignal.any([AbortSignal.timeout(check.timeoutMs), deadline]);
  let status: CheckStatus;
  try {
    status = await attempt(check, readSecret, signal);
  } catch {
    // Whatever went wrong (refused, DNS, TLS, malformed answer, missing secret), only the kind leaves this function.
    status = signal.aborted ? 'timeout' : 'fail';
  }
  return { status, latencyMs: Math.round(now() - started) };
}

/** Healthy when all pass; unhealthy when a critical check does not; degraded when only non-critical ones fail. */
export function overallStatus(checks: readonly CheckSpec[], results: readonly CheckResult[]): OverallStatus {
  const failed = checks.filter((_, i) => results[i].status !== 'pass');
  if (failed.some((c) => c.critical)) return 'unhealthy';
  return failed.length > 0 ? 'degraded' : 'healthy';
}

/** Runs every check in parallel, each bounded by its own timeout and all by `deadlineMs`. */
export async function runChecks(
  checks: readonly CheckSpec[],
  readSecret: SecretReader,
  deadlineMs: number,
): Promise<HealthReport> {
  const deadline = AbortSignal.timeout(deadlineMs);
  const results = await Promise.all(checks.map((check) => runCheck(check, readSecret, deadline)));
  return {
    status: overallStatus(checks, results),
    checks: Object.fromEntries(checks.map((check, i) => [check.name, results[i]])),
  };
}

/** 200 iff every critical check passed (a degraded answer is still serving patients). */
export function httpStatusOf(report: HealthReport): 200 | 503 {
  return report.status === 'unhealthy' ? 503 : 200;
}
