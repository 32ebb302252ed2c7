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
  // Least privilege: a publishable key of its own (RLS applies), never the secret key, which bypasses RLS. The
  // database check calls the health_check() RPC the app's migrations define (its SQL: docs/readme/delivery.md).
  const supabaseKey = {
    secret: 'supabase-health-key',
    header: 'apikey',
    format: '{secret}',
    jsonField: 'value',
  } as const;
  const get = { method: 'GET', expectedStatus: 200, timeoutMs: CHECK_TIMEOUT_MS } as const;
  return {
    deadlineMs: DEADLINE_MS,
    checks: [
      {
        name: 'supabase-rest',
        group: 'db',
        url: `${supabaseProjectUrl}/rest/v1/rpc/health_check`,
        ...get,
        critical: true,
        auth: supabaseKey,
      },
      {
        name: 'supabase-auth',
        group: 'db',
        url: `${supabaseProjectUrl}/auth/v1/health`,
        ...get,
        critical: false,
        auth: supabaseKey,
      },
      { name: 'n8n', group: 'apis', url: `${n8nBaseUrl}/healthz`, ...get, critical: true },
      {
        name: 'n8n-api',
        group: 'apis',
        url: `${n8nBaseUrl}/api/v1/workflows?limit=1`,
        ...get,
        critical: false,
        auth: { secret: 'n8n-api-key', header: 'X-N8N-API-KEY', format: '{secret}', jsonField: 'value' },
      },
      {
        name: 'google-calendar',
        group: 'apis',
        url: 'https://www.googleapis.com/discovery/v1/apis/calendar/v3/rest',
        ...get,
        critical: false,
        auth: { secret: 'google-api-key', header: 'X-Goog-Api-Key', format: '{secret}', jsonField: 'value' },
        // The key is restricted to the site's referrers (lib/secrets/inventory.ts): without one Google answers 403.
        sendSiteReferer: true,
      },
    ],
  };
}
