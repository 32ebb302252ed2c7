/**
 * What the collector accepts, per endpoint (pure): the request's checks in the order that costs least to refuse
 * (method, path, Origin, Content-Type, size, then JSON and its shape), and the redacted events it becomes. Any
 * refusal refuses the whole request, so a malformed batch stores nothing, not half of itself.
 */
import { knownFamily } from './browser-family';
import type { Redactor } from './redact';

/** The endpoint family under the site's origin; the distribution routes `/_telemetry/*` to the collector. */
export const TELEMETRY_PREFIX = '/_telemetry';

export const ENDPOINTS = {
  /** CSP `report-uri` (`application/csp-report`, one per violation, at once) and its `report-to` group (batches). */
  csp: `${TELEMETRY_PREFIX}/csp`,
  /** The Reporting API's `default` group: `application/reports+json` batches of crash, deprecation, intervention (and CSP) reports. */
  reports: `${TELEMETRY_PREFIX}/reports`,
  /** Application errors from the app's own module (sendBeacon / fetch keepalive), `application/json`. */
  errors: `${TELEMETRY_PREFIX}/errors`,
  /** Web vitals and page views, `application/json`. */
  vitals: `${TELEMETRY_PREFIX}/vitals`,
} as const;
export type Endpoint = keyof typeof ENDPOINTS;

const CONTENT_TYPES: Record<Endpoint, readonly string[]> = {
  csp: ['application/csp-report', 'application/json', 'application/reports+json'],
  reports: ['application/reports+json'],
  errors: ['application/json'],
  vitals: ['application/json'],
};

/** Reporting API types collected; the others (network-error, coep, …) are accepted and dropped. */
export const BROWSER_REPORT_TYPES = ['crash', 'deprecation', 'intervention'] as const;
export const VITALS = ['LCP', 'INP', 'CLS', 'TTFB'] as const;
export type Vital = (typeof VITALS)[number];

/** Directives a violation is counted under (a metric dimension: a closed list keeps the metric count fixed). */
export const DIRECTIVES = [
  'default-src',
  'script-src',
  'script-src-elem',
  'script-src-attr',
  'style-src',
  'style-src-elem',
  'style-src-attr',
  'img-src',
  'font-src',
  'connect-src',
  'media-src',
  'object-src',
  'frame-src',
  'child-src',
  'worker-src',
  'manifest-src',
  'base-uri',
  'form-action',
  'frame-ancestors',
  'require-trusted-types-for',
  'trusted-types',
] as const;

const MAX_BATCH = { reports: 50, errors: 10 } as const;
const TEXT_CAP = { message: 500, sample: 80, stack: 2000, frames: 12 } as const;

export interface CollectorRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: Buffer;
}

export interface IntakeLimits {
  /** The site's origin, e.g. https://app.example.com; anything else in `Origin` is refused. */
  readonly siteOrigin: string;
  readonly maxBodyBytes: number;
}

interface Common {
  readonly release: string;
  readonly browser: string;
}
export interface CspViolation extends Common {
  readonly kind: 'csp-violation';
  readonly via: 'report-uri' | 'report-to';
  readonly directive: string;
  readonly disposition: 'enforce' | 'report';
  readonly blockedUri: string;
  readonly documentPath: string;
  readonly sourceFile?: string;
  readonly line?: number;
  readonly column?: number;
  readonly sample?: string;
}
export interface BrowserReport extends Common {
  readonly kind: 'browser-report';
  readonly type: (typeof BROWSER_REPORT_TYPES)[number];
  readonly documentPath: string;
  readonly id?: string;
  readonly message?: string;
  readonly sourceFile?: string;
  readonly line?: number;
}
export interface ClientError extends Common {
  readonly kind: 'client-error';
  readonly source: 'error' | 'unhandledrejection' | 'manual';
  readonly message: string;
  readonly stack?: string;
  readonly path: string;
  /** The client's clock (ms since epoch) as sent; never trusted for ordering, useful for skew. */
  readonly clientTime?: number;
}
export interface WebVitals extends Common {
  readonly kind: 'web-vitals';
  readonly path: string;
  readonly routeGroup: string;
  readonly pageView: boolean;
  readonly metrics: Partial<Record<Vital, number>>;
}
export type CollectedEvent = CspViolation | BrowserReport | ClientError | WebVitals;

export class Refusal extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 405 | 413 | 415,
    message: string,
  ) {
    super(message);
  }
}

const RELEASE = /^[A-Za-z0-9._-]{1,64}$/;
const releaseOf = (value: unknown): string => (typeof value === 'string' && RELEASE.test(value) ? value : 'unknown');
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const optionalNumber = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.round(value) : undefined;
const optionalText = (redact: Redactor, value: unknown, cap: number): string | undefined =>
  typeof value === 'string' && value !== '' ? redact.capped(value, cap) : undefined;
const optionalUrl = (redact: Redactor, value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? redact.url(value) : undefined;

function directiveOf(value: unknown): string {
  const first = typeof value === 'string' ? value.trim().split(/\s+/, 1)[0].toLowerCase() : '';
  return (DIRECTIVES as readonly string[]).includes(first) ? first : 'other';
}

/** `/appointments/42/edit` → `/appointments`: the first segment is the route group (a metric never sees ids). */
export function routeGroupOf(path: string): string {
  const first = path.split('/').filter(Boolean)[0];
  return first && !first.startsWith(':') && !first.startsWith('[') ? `/${first}` : '/';
}

export function endpointOf(path: string): Endpoint | undefined {
  const bare = path.replace(/\/+$/, '');
  return (Object.keys(ENDPOINTS) as Endpoint[]).find((name) => ENDPOINTS[name] === bare);
}

/** The request's checks, cheapest first; returns the endpoint and parsed JSON, or throws a Refusal. */
export function admit(
  request: CollectorRequest,
  limits: IntakeLimits,
): { endpoint: Endpoint; json: unknown; contentType: string } {
  const endpoint = endpointOf(request.path);
  if (!endpoint) throw new Refusal(404, `no telemetry endpoint ${request.path}`);
  if (request.method !== 'POST') throw new Refusal(405, 'only POST is accepted');
  const origin = request.headers.origin;
  if (origin !== limits.siteOrigin) throw new Refusal(403, origin ? 'foreign Origin' : 'no Origin header');
  const contentType = (request.headers['content-type'] ?? '').split(';', 1)[0].trim().toLowerCase();
  if (!CONTENT_TYPES[endpoint].includes(contentType))
    throw new Refusal(415, `${endpoint} accepts ${CONTENT_TYPES[endpoint].join(' or ')}`);
  if (request.body.length > limits.maxBodyBytes) throw new Refusal(413, `body over ${limits.maxBodyBytes} bytes`);
  try {
    return { endpoint, json: JSON.parse(request.body.toString('utf8')), contentType };
  } catch {
    throw new Refusal(400, 'body is not JSON');
  }
}

export interface RequestContext {
  /** The live release, from the routing function's `x-miko-release` header (reports carry none of their own). */
  readonly liveRelease: string;
  readonly userAgent?: string;
  /** The allowlist of the release's code every stored text goes through. */
  readonly redact: Redactor;
}

/** The events one admitted request holds, redacted; throws a Refusal on any malformed part. */
export function eventsOf(
  endpoint: Endpoint,
  json: unknown,
  context: RequestContext,
  contentType = '',
): CollectedEvent[] {
  switch (endpoint) {
    // One path for both CSP mechanisms: the Reporting API's batch format is told apart by its Content-Type.
    case 'csp':
      return contentType === 'application/reports+json' ? reportingBatch(json, context) : [cspReport(json, context)];
    case 'reports':
      return reportingBatch(json, context);
    case 'errors':
      return batch(json, MAX_BATCH.errors, 'errors').map((item) => clientError(item, context));
    case 'vitals':
      return [webVitals(json, context)];
  }
}

function batch(json: unknown, max: number, what: string): unknown[] {
  const items = Array.isArray(json) ? json : [json];
  if (items.length === 0 || items.length > max) throw new Refusal(400, `${what}: send 1 to ${max} items per request`);
  return items;
}

/** `report-uri`'s format: `{"csp-report": {"document-uri", "effective-directive", "blocked-uri", …}}`. */
function cspReport(json: unknown, context: RequestContext): CspViolation {
  const report = isObject(json) ? json['csp-report'] : undefined;
  if (!isObject(report) || typeof report['document-uri'] !== 'string')
    throw new Refusal(400, 'csp: expected {"csp-report": {"document-uri": …}}');
  return {
    kind: 'csp-violation',
    via: 'report-uri',
    directive: directiveOf(report['effective-directive'] ?? report['violated-directive']),
    disposition: report.disposition === 'report' ? 'report' : 'enforce',
    blockedUri: context.redact.url(String(report['blocked-uri'] ?? '')),
    documentPath: context.redact.pagePath(report['document-uri']),
    sourceFile: optionalUrl(context.redact, report['source-file']),
    line: optionalNumber(report['line-number']),
    column: optionalNumber(report['column-number']),
    sample: optionalText(context.redact, report['script-sample'], TEXT_CAP.sample),
    release: context.liveRelease,
    browser: knownFamily(undefined, context.userAgent),
  };
}

/** The Reporting API's batch: `[{type, url, user_agent, body}, …]`. */
function reportingBatch(json: unknown, context: RequestContext): CollectedEvent[] {
  if (!Array.isArray(json)) throw new Refusal(400, 'reports: expected a JSON array of reports');
  const items = batch(json, MAX_BATCH.reports, 'reports');
  const events: CollectedEvent[] = [];
  for (const item of items) {
    if (!isObject(item) || typeof item.type !== 'string' || typeof item.url !== 'string' || !isObject(item.body)) {
      throw new Refusal(400, 'reports: each report needs type, url and body');
    }
    const browser = knownFamily(undefined, typeof item.user_agent === 'string' ? item.user_agent : context.userAgent);
    const body = item.body;
    if (item.type === 'csp-violation') {
      events.push({
        kind: 'csp-violation',
        via: 'report-to',
        directive: directiveOf(body.effectiveDirective),
        disposition: body.disposition === 'report' ? 'report' : 'enforce',
        blockedUri: context.redact.url(String(body.blockedURL ?? '')),
        documentPath: context.redact.pagePath(String(body.documentURL ?? item.url)),
        sourceFile: optionalUrl(context.redact, body.sourceFile),
        line: optionalNumber(body.lineNumber),
        column: optionalNumber(body.columnNumber),
        sample: optionalText(context.redact, body.sample, TEXT_CAP.sample),
        release: context.liveRelease,
        browser,
      });
    } else if ((BROWSER_REPORT_TYPES as readonly string[]).includes(item.type)) {
      events.push({
        kind: 'browser-report',
        type: item.type as BrowserReport['type'],
        documentPath: context.redact.pagePath(item.url),
        id: optionalText(context.redact, body.id, 80),
        message: optionalText(context.redact, body.message ?? body.reason, TEXT_CAP.message),
        sourceFile: optionalUrl(context.redact, body.sourceFile),
        line: optionalNumber(body.lineNumber),
        release: context.liveRelease,
        browser,
      });
    }
  }
  return events;
}

/**
 * The application error schema (docs/readme/client-telemetry.md): `message` (required), `stack`, `path`,
 * `release`, `browser`, `time` (ms since epoch), `source` ("error" | "unhandledrejection" | "manual").
 */
function clientError(item: unknown, context: RequestContext): ClientError {
  if (!isObject(item) || typeof item.message !== 'string' || item.message.trim() === '')
    throw new Refusal(400, 'errors: each error needs a non-empty "message"');
  if (item.stack !== undefined && typeof item.stack !== 'string')
    throw new Refusal(400, 'errors: "stack" must be a string');
  const source = item.source === 'unhandledrejection' || item.source === 'manual' ? item.source : 'error';
  return {
    kind: 'client-error',
    source,
    message: context.redact.capped(item.message, TEXT_CAP.message),
    stack: typeof item.stack === 'string' ? trimStack(context.redact, item.stack) : undefined,
    path: context.redact.pagePath(typeof item.path === 'string' ? item.path : '/'),
    release: releaseOf(item.release),
    browser: knownFamily(item.browser, context.userAgent),
    clientTime: optionalNumber(item.time),
  };
}

/** The top frames only, redacted (stack lines quote source URLs, which carry queries). */
function trimStack(redact: Redactor, stack: string): string {
  return redact
    .stack(
      stack
        .slice(0, TEXT_CAP.stack * 2)
        .split('\n')
        .slice(0, TEXT_CAP.frames + 1)
        .join('\n'),
    )
    .slice(0, TEXT_CAP.stack);
}

/** `{path, release, pageView?, metrics: {LCP, INP, CLS, TTFB}}`: each value a finite number ≥ 0. */
function webVitals(json: unknown, context: RequestContext): WebVitals {
  if (!isObject(json) || !isObject(json.metrics ?? {}))
    throw new Refusal(400, 'vitals: expected {"path", "metrics": {…}}');
  const metrics: Partial<Record<Vital, number>> = {};
  for (const [name, value] of Object.entries((json.metrics ?? {}) as Record<string, unknown>)) {
    if (!(VITALS as readonly string[]).includes(name))
      throw new Refusal(400, `vitals: unknown metric ${JSON.stringify(name).slice(0, 40)} (send ${VITALS.join(', ')})`);
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 600_000)
      throw new Refusal(400, `vitals: ${name} must be a number from 0 to 600000`);
    metrics[name as Vital] = value;
  }
  const pageView = json.pageView === true;
  if (!pageView && Object.keys(metrics).length === 0)
    throw new Refusal(400, 'vitals: send a page view or at least one metric');
  const path = context.redact.pagePath(typeof json.path === 'string' ? json.path : '/');
  return {
    kind: 'web-vitals',
    path,
    routeGroup: routeGroupOf(path),
    pageView,
    metrics,
    release: releaseOf(json.release),
    browser: knownFamily(json.browser, context.userAgent),
  };
}
