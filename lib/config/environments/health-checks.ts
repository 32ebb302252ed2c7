/**
 * The dependency checks every environment runs, differing only in where its Supabase project and n8n live.
 * An environment that needs other checks writes its own list instead.
 */
import type { EnvironmentConfig } from '../schema';

/** Well under the deadline, so a slow check is reported as a timeout while the others' answers still come back. */
const CHECK_TIMEOUT_MS = 2500;
/** Leaves the health Lambda (10 s) and CloudFront's origin timeout ample room. */
const DEADLINE_MS = 3000;

export function standardHealthChecks(supabaseProjectUrl: string, n8nBaseUrl: string): EnvironmentConfig['health'] {
  const supabaseKey = { secret: 'supabase-secret-key', header: 'apikey', format: '{secret}' } as const;
  const get = { method: 'GET', expectedStatus: 200, timeoutMs: CHECK_TIMEOUT_MS } as const;
  return {
    deadlineMs: DEADLINE_MS,
    checks: [
      { name: 'supabase-rest', group: 'db', url: `${supabaseProjectUrl}/rest/v1/`, ...get, critical: true, auth: supabaseKey },
      { name: 'supabase-auth', group: 'db', url: `${supabaseProjectUrl}/auth/v1/health`, ...get, critical: false, auth: supabaseKey },
      { name: 'n8n', group: 'apis', url: `${n8nBaseUrl}/healthz`, ...get, critical: true },
      { name: 'n8n-api', group: 'apis', url: `${n8nBaseUrl}/api/v1/workflows?limit=1`, ...get, critical: false, auth: { secret: 'n8n-api-key', header: 'X-N8N-API-KEY', format: '{secret}' } },
      {
        name: 'google-calendar', group: 'apis', url: 'https://www.googleapis.com/discovery/v1/apis/calendar/v3/rest', ...get, critical: false,
        auth: { secret: 'google-api-key', header: 'X-Goog-Api-Key', format: '{secret}' },
      },
    ],
  };
}
