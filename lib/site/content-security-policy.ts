/**
 * Builds the site's Content-Security-Policy from the environment's config (pure, unit-tested).
 *
 * The policy starts from `default-src 'none'` and opens exactly what the SPA uses: its own scripts and styles,
 * connections to the configured backends, and the needs the app declares per directive in `csp` (checked against
 * the guard rails of lib/config/csp.ts at validation). Anything the config does not name stays blocked, so every
 * widening is a config change reviewed in a pull request.
 */
import type { EnvironmentConfig } from '../config';
import type { CspAdditions, ExtensibleDirective } from '../config/csp';

/** The browser-facing origin of each Google API the config may list. */
export const GOOGLE_API_ORIGINS: Record<EnvironmentConfig['backends']['google']['apis'][number], readonly string[]> = {
  calendar: ['https://www.googleapis.com'],
  maps: ['https://maps.googleapis.com'],
  places: ['https://places.googleapis.com'],
  oauth: ['https://oauth2.googleapis.com'],
};

/** Where browsers send violation reports: a same-origin path (`report-uri`) and a Reporting API group (`report-to`). */
export interface CspReporting {
  /** e.g. `/telemetry/csp`; `report-uri` is sent at once, per violation. */
  readonly path: string;
  /** The `Reporting-Endpoints` group name, e.g. `csp`; browsers batch `report-to` reports with a delay. */
  readonly group: string;
  /** The Reporting API's `default` endpoint (crash, deprecation, intervention reports); omitted, none is named. */
  readonly browserReportsPath?: string;
}

export interface ContentSecurityPolicyInput {
  readonly backends: EnvironmentConfig['backends'];
  /** The app's declared additions per directive (config `csp`). */
  readonly additions: CspAdditions;
  /** Report endpoints; omitted, the policy names none. */
  readonly reporting?: CspReporting;
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

const REPORTING_PATH = /^\/[A-Za-z0-9/_.-]*$/;
const REPORTING_GROUP = /^[A-Za-z0-9_-]{1,64}$/;

/** `report-uri` and `report-to`, after checking they cannot break out of the header. */
function reportingDirectives(reporting: CspReporting | undefined): Array<[string, string[]]> {
  if (!reporting) return [];
  if (!REPORTING_PATH.test(reporting.path))
    throw new Error(
      `CSP report path "${reporting.path}" is not a same-origin path. Fix: use a path like "/telemetry/csp" (letters, digits, /, _, ., -).`,
    );
  if (!REPORTING_GROUP.test(reporting.group))
    throw new Error(
      `CSP report group "${reporting.group}" is not a Reporting-Endpoints name. Fix: use letters, digits, _ or - (e.g. "csp").`,
    );
  return [
    ['report-uri', [reporting.path]],
    ['report-to', [reporting.group]],
  ];
}

/** The policy's directives in the order they are written; a directive the app extends is written only when it does. */
export function contentSecurityPolicyDirectives(input: ContentSecurityPolicyInput): Array<[string, string[]]> {
  const added = (directive: ExtensibleDirective): string[] => [...(input.additions[directive] ?? [])];
  const extended = (directive: ExtensibleDirective, base: string[]): Array<[string, string[]]> =>
    input.additions[directive]?.length ? [[directive, [...base, ...added(directive)]]] : [];
  return [
    ['default-src', ["'none'"]],
    ['script-src', ["'self'", ...added('script-src')]],
    // style-src itself stays 'self' (the Observatory scores it); additions open only the element or attribute form.
    ['style-src', ["'self'"]],
    ...extended('style-src-elem', ["'self'"]),
    ...extended('style-src-attr', []),
    ['img-src', ["'self'", ...added('img-src')]],
    ['font-src', ["'self'", ...added('font-src')]],
    ['connect-src', [...new Set([...connectSources(input), ...added('connect-src')])]],
    ...extended('frame-src', []),
    ...extended('worker-src', ["'self'"]),
    ['manifest-src', ["'self'"]],
    ['object-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'self'"]],
    ['frame-ancestors', ["'none'"]],
    ['upgrade-insecure-requests', []],
    ...reportingDirectives(input.reporting),
  ];
}

/** The header value, e.g. `default-src 'none'; script-src 'self'; …; upgrade-insecure-requests`. */
export function buildContentSecurityPolicy(input: ContentSecurityPolicyInput): string {
  return contentSecurityPolicyDirectives(input)
    .map(([name, sources]) => [name, ...sources].join(' '))
    .join('; ');
}
