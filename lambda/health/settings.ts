/** The health Lambda's settings, passed by HealthStack in one environment variable (no secret values in it). */
import type { ProbeTokenSettings } from '../shared/probe-token';
import type { CheckSpec } from './checks';

export const SETTINGS_VARIABLE = 'MIKO_HEALTH_SETTINGS';

export interface HealthSettings {
  readonly deadlineMs: number;
  readonly checks: readonly CheckSpec[];
  /** When set, `/health/db` and `/health/apis` answer only requests carrying the prober's token. */
  readonly probeToken?: ProbeTokenSettings;
  /** How long a secret read is reused (default SECRET_CACHE_TTL_MS); a rehearsal's scaled clock shortens it. */
  readonly secretCacheTtlMs?: number;
}

/** No checks configured means `/health/db` and `/health/apis` are trivially healthy, never a crash. */
export function readSettings(env: NodeJS.ProcessEnv = process.env): HealthSettings {
  const raw = env[SETTINGS_VARIABLE];
  return raw ? (JSON.parse(raw) as HealthSettings) : { deadlineMs: 3000, checks: [] };
}
