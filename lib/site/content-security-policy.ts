/**
 * Builds the site's Content-Security-Policy from the environment's config (pure, unit-tested).
 *
 * The policy starts from `default-src 'none'` and opens exactly what the SPA uses: its own scripts and styles, and
 * connections to the configured backends. Anything the config does not name stays blocked, so adding a backend is
 * a config change reviewed in a pull request, never a silent widening.
 */
import type { EnvironmentConfig } from '../config';

/** The browser-facing origin of each Google API the config may list. */
export const GOOGLE_API_ORIGINS: Record<EnvironmentConfig['backends']['google']['apis'][number], readonly string[]> = {
  calendar: ['https://www.googleapis.com'],
  maps: ['https://maps.googleapis.com'],
  places: ['https://places.googleapis.com'],
  oauth: ['https://oauth2.googleapis.com'],
};

export interface ContentSecurityPolicyInput {
  readonly backends: EnvironmentConfig['backends'];
  readonly contentSources: EnvironmentConfig['site']['contentSources'];
}

const origin = (url: string): string => new URL(url).origin;

/** Origins the SPA may `fetch`/open a WebSocket to: itself, then each backend, in a stable order, once each. */
export function connectSources({ backends }: ContentSecurityPolicyInput): string[] {
  const supabase = new URL(backends.supabase.projectUrl);
  const sources = [
    "'self'",
    supabase.origin,
    // Supabase Realtime is a WebSocket on the same host.
    `wss://${supabase.host}`,
    origin(backends.n8n.webhookUrl),
    ...backends.google.apis.flatMap((api) => GOOGLE_API_ORIGINS[api]),
    // Sentry's DSN carries a public key in its user part; the browser only needs the ingest origin.
    origin(backends.sentry.dsn),
  ];
  return [...new Set(sources)];
}

/** The policy's directives in the order they are written. */
export function contentSecurityPolicyDirectives(input: ContentSecurityPolicyInput): Array<[string, string[]]> {
  const { contentSources } = input;
  return [
    ['default-src', ["'none'"]],
    ['script-src', ["'self'"]],
    ['style-src', ["'self'", ...contentSources.styles]],
    ['img-src', ["'self'", ...contentSources.images]],
    ['font-src', ["'self'", ...contentSources.fonts]],
    ['connect-src', connectSources(input)],
    ['manifest-src', ["'self'"]],
    ['object-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'self'"]],
    ['frame-ancestors', ["'none'"]],
    ['upgrade-insecure-requests', []],
  ];
}

/** The header value, e.g. `default-src 'none'; script-src 'self'; …; upgrade-insecure-requests`. */
export function buildContentSecurityPolicy(input: ContentSecurityPolicyInput): string {
  return contentSecurityPolicyDirectives(input)
    .map(([name, sources]) => [name, ...sources].join(' '))
    .join('; ');
}
