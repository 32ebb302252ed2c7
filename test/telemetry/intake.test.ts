/**
 * The intake in process (no servers): what a browser, i.e. anyone on the internet, may send to each endpoint, the
 * refusal it gets otherwise (status and reason), and the exact event each accepted report becomes.
 */
import {
  admit,
  CollectorRequest,
  endpointOf,
  ENDPOINTS,
  eventsOf,
  Refusal,
  RequestContext,
  routeGroupOf,
} from '../../lambda/telemetry/intake';
import { createRedactor } from '../../lambda/telemetry/redact';
import { SITE, TEST_VOCABULARY } from './support';

const LIMITS = { siteOrigin: SITE, maxBodyBytes: 100 };
const CHROME_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const FIREFOX_UA = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
const context: RequestContext = {
  liveRelease: 'r-live',
  userAgent: CHROME_UA,
  redact: createRedactor(TEST_VOCABULARY),
};

const request = (overrides: Partial<CollectorRequest> = {}): CollectorRequest => ({
  method: 'POST',
  path: ENDPOINTS.errors,
  headers: { origin: SITE, 'content-type': 'application/json' },
  body: Buffer.from('{"message":"x"}'),
  ...overrides,
});

/** The Refusal `run` throws, as status and message. */
function refusalOf(run: () => unknown): { status: number; message: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof Refusal) return { status: error.status, message: error.message };
    throw error;
  }
  throw new Error('expected a Refusal, but nothing was thrown');
}

describe('endpoints and route groups', () => {
  test('each endpoint is found by its path, with or without trailing slashes; anything else is none', () => {
    expect(endpointOf('/_telemetry/csp')).toBe('csp');
    expect(endpointOf('/_telemetry/reports/')).toBe('reports');
    expect(endpointOf('/_telemetry/errors//')).toBe('errors');
    expect(endpointOf('/_telemetry/vitals')).toBe('vitals');
    expect(endpointOf('/_telemetry/cspx')).toBeUndefined();
    expect(endpointOf('/_telemetry')).toBeUndefined();
    expect(endpointOf('/x/_telemetry/csp')).toBeUndefined();
  });

  test('the route group is the first literal segment, never a parameter', () => {
    expect(routeGroupOf('/appointments/42/edit')).toBe('/appointments');
    expect(routeGroupOf('//book')).toBe('/book');
    expect(routeGroupOf('/')).toBe('/');
    expect(routeGroupOf('/:id/edit')).toBe('/');
    expect(routeGroupOf('/[slug]')).toBe('/');
  });
});

describe('admit: the checks in order, cheapest first', () => {
  test('an unknown path is 404 before anything else is looked at', () => {
    expect(refusalOf(() => admit(request({ path: '/_telemetry/nope', method: 'GET', headers: {} }), LIMITS))).toEqual({
      status: 404,
      message: 'no telemetry endpoint /_telemetry/nope',
    });
  });

  test('only POST: 405, even from a foreign origin', () => {
    expect(
      refusalOf(() => admit(request({ method: 'GET', headers: { origin: 'https://evil.example' } }), LIMITS)),
    ).toEqual({
      status: 405,
      message: 'only POST is accepted',
    });
  });

  test('a missing or foreign Origin is 403 and says which', () => {
    expect(refusalOf(() => admit(request({ headers: { 'content-type': 'application/json' } }), LIMITS))).toEqual({
      status: 403,
      message: 'no Origin header',
    });
    const foreign = { origin: 'https://app.example.com.evil.example', 'content-type': 'application/json' };
    expect(refusalOf(() => admit(request({ headers: foreign }), LIMITS))).toEqual({
      status: 403,
      message: 'foreign Origin',
    });
  });

  test('a Content-Type the endpoint does not take is 415 and names the ones it does; a missing one too', () => {
    const sent = (path: string, type?: string) =>
      refusalOf(() =>
        admit(request({ path, headers: { origin: SITE, ...(type ? { 'content-type': type } : {}) } }), LIMITS),
      );
    expect(sent(ENDPOINTS.errors, 'text/plain')).toEqual({ status: 415, message: 'errors accepts application/json' });
    expect(sent(ENDPOINTS.errors)).toEqual({ status: 415, message: 'errors accepts application/json' });
    expect(sent(ENDPOINTS.reports, 'application/json')).toEqual({
      status: 415,
      message: 'reports accepts application/reports+json',
    });
    expect(sent(ENDPOINTS.vitals, 'application/csp-report')).toEqual({
      status: 415,
      message: 'vitals accepts application/json',
    });
    expect(sent(ENDPOINTS.csp, 'text/plain')).toEqual({
      status: 415,
      message: 'csp accepts application/csp-report or application/json or application/reports+json',
    });
  });

  test('the Content-Type is compared without parameters and case; the answer carries it normalized', () => {
    for (const [path, type, normalized] of [
      [ENDPOINTS.csp, 'application/csp-report', 'application/csp-report'],
      [ENDPOINTS.csp, 'Application/JSON; charset=utf-8', 'application/json'],
      [ENDPOINTS.csp, ' application/reports+json ;x=1', 'application/reports+json'],
      [ENDPOINTS.reports, 'application/reports+json', 'application/reports+json'],
      [ENDPOINTS.vitals, 'application/json', 'application/json'],
    ]) {
      const admitted = admit(request({ path, headers: { origin: SITE, 'content-type': type } }), LIMITS);
      expect(admitted).toEqual({ endpoint: endpointOf(path), json: { message: 'x' }, contentType: normalized });
    }
  });

  test('a body over the limit is 413; one of exactly the limit is read', () => {
    const body = (bytes: number) => Buffer.from(`"${'a'.repeat(bytes - 2)}"`);
    expect(refusalOf(() => admit(request({ body: body(101) }), LIMITS))).toEqual({
      status: 413,
      message: 'body over 100 bytes',
    });
    expect(admit(request({ body: body(100) }), LIMITS).json).toBe('a'.repeat(98));
  });

  test('a body that is not JSON is 400', () => {
    expect(refusalOf(() => admit(request({ body: Buffer.from('{"message":') }), LIMITS))).toEqual({
      status: 400,
      message: 'body is not JSON',
    });
  });
});

const cspReport = (report: Record<string, unknown>) => ({
  'csp-report': { 'document-uri': 'https://app.example.com/booking/42?name=Anna', ...report },
});

describe('csp: report-uri reports', () => {
  test('become one violation: directive, disposition, redacted URLs, positions, sample, live release, browser', () => {
    const [event] = eventsOf(
      'csp',
      cspReport({
        'effective-directive': 'script-src-elem',
        'violated-directive': 'default-src',
        disposition: 'report',
        'blocked-uri': 'https://evil.example/x.js?user=anna',
        'source-file': 'https://app.example.com/assets/index-c63af811.js',
        'line-number': 12.4,
        'column-number': 7,
        'script-sample': 'alert(1)',
      }),
      context,
      'application/csp-report',
    );
    expect(event).toEqual({
      kind: 'csp-violation',
      via: 'report-uri',
      directive: 'script-src-elem',
      disposition: 'report',
      blockedUri: 'https://evil.example/:id',
      documentPath: '/booking/:bookingId',
      sourceFile: 'https://app.example.com/assets/index-c63af811.js',
      line: 12,
      column: 7,
      sample: '[redacted]([number])',
      release: 'r-live',
      browser: 'Chrome',
    });
  });

  test('the directive falls back to violated-directive, takes its first word in lower case, else is "other"', () => {
    const directive = (report: Record<string, unknown>) =>
      (eventsOf('csp', cspReport(report), context)[0] as { directive: string }).directive;
    expect(directive({ 'violated-directive': "Script-Src 'self' https:" })).toBe('script-src');
    expect(directive({ 'effective-directive': '  img-src' })).toBe('img-src');
    expect(directive({ 'effective-directive': 'made-up-src' })).toBe('other');
    expect(directive({ 'effective-directive': 42 })).toBe('other');
    expect(directive({})).toBe('other');
  });

  test('every fetch and document directive of CSP 3 is counted under its own name', () => {
    const counted = [
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
    ];
    const directive = (name: string) =>
      (eventsOf('csp', cspReport({ 'effective-directive': name }), context)[0] as { directive: string }).directive;
    expect(counted.map(directive)).toEqual(counted);
    expect(directive('')).toBe('other');
  });

  test('what is missing or malformed is left out or defaulted, never passed through', () => {
    const [event] = eventsOf(
      'csp',
      cspReport({
        disposition: 'anything',
        'line-number': -1,
        'column-number': Infinity,
        'script-sample': '',
        'source-file': '',
      }),
      { ...context, userAgent: undefined },
    );
    expect(event).toEqual({
      kind: 'csp-violation',
      via: 'report-uri',
      directive: 'other',
      disposition: 'enforce',
      blockedUri: '',
      documentPath: '/booking/:bookingId',
      sourceFile: undefined,
      line: undefined,
      column: undefined,
      sample: undefined,
      release: 'r-live',
      browser: 'unknown',
    });
  });

  test('the sample is capped at 80 characters after redaction', () => {
    const [event] = eventsOf('csp', cspReport({ 'script-sample': 'onClick '.repeat(30) }), context);
    expect((event as { sample: string }).sample).toBe(`${'onClick '.repeat(10)}…`);
  });

  test('anything but {"csp-report": {"document-uri": …}} is 400', () => {
    for (const json of [null, [], 'x', {}, { 'csp-report': [] }, { 'csp-report': { 'document-uri': 5 } }])
      expect(refusalOf(() => eventsOf('csp', json, context))).toEqual({
        status: 400,
        message: 'csp: expected {"csp-report": {"document-uri": …}}',
      });
  });
});

const cspEntry = (body: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: 'csp-violation',
  url: 'https://app.example.com/book?x=1',
  body,
  ...extra,
});

describe('the Reporting API batch (reports, and csp sent as reports+json)', () => {
  test("a CSP violation sent with report-to: its fields, the report's own user agent first", () => {
    const body = {
      effectiveDirective: 'style-src-attr',
      disposition: 'report',
      blockedURL: 'inline',
      documentURL: 'https://app.example.com/appointments/7',
      sourceFile: 'https://app.example.com/assets/a.js',
      lineNumber: 0,
      columnNumber: 9.6,
      sample: 'color: red',
    };
    for (const endpoint of ['reports', 'csp'] as const) {
      const events = eventsOf(
        endpoint,
        [cspEntry(body, { user_agent: FIREFOX_UA })],
        context,
        'application/reports+json',
      );
      expect(events).toEqual([
        {
          kind: 'csp-violation',
          via: 'report-to',
          directive: 'style-src-attr',
          disposition: 'report',
          blockedUri: 'inline',
          documentPath: '/appointments/:id',
          sourceFile: 'https://app.example.com/assets/a.js',
          line: 0,
          column: 10,
          sample: '[redacted]: [redacted]',
          release: 'r-live',
          browser: 'Firefox',
        },
      ]);
    }
  });

  test("a report-to violation without its optional fields: the page is the report's url, the rest defaulted", () => {
    const [event] = eventsOf('reports', [cspEntry({}, { user_agent: 7 })], context);
    expect(event).toEqual({
      kind: 'csp-violation',
      via: 'report-to',
      directive: 'other',
      disposition: 'enforce',
      blockedUri: '',
      documentPath: '/book',
      sourceFile: undefined,
      line: undefined,
      column: undefined,
      sample: undefined,
      release: 'r-live',
      browser: 'Chrome',
    });
  });

  test('crash, deprecation and intervention reports are kept; other types (network-error, coep) dropped', () => {
    const events = eventsOf(
      'reports',
      [
        { type: 'crash', url: 'https://app.example.com/patients', body: { reason: 'out of memory' } },
        {
          type: 'deprecation',
          url: '/book',
          body: {
            id: 'unload',
            message: 'onClick is deprecated',
            sourceFile: 'https://app.example.com/assets/a.js',
            lineNumber: 4,
          },
        },
        { type: 'intervention', url: '/book', body: { message: '' } },
        { type: 'network-error', url: '/book', body: { type: 'dns.name_not_resolved' } },
        { type: 'coep', url: '/book', body: {} },
      ],
      context,
    );
    expect(events).toEqual([
      {
        kind: 'browser-report',
        type: 'crash',
        documentPath: '/patients',
        id: undefined,
        message: 'out of memory',
        sourceFile: undefined,
        line: undefined,
        release: 'r-live',
        browser: 'Chrome',
      },
      {
        kind: 'browser-report',
        type: 'deprecation',
        documentPath: '/book',
        id: 'unload',
        message: 'onClick is deprecated',
        sourceFile: 'https://app.example.com/assets/a.js',
        line: 4,
        release: 'r-live',
        browser: 'Chrome',
      },
      {
        kind: 'browser-report',
        type: 'intervention',
        documentPath: '/book',
        id: undefined,
        message: undefined,
        sourceFile: undefined,
        line: undefined,
        release: 'r-live',
        browser: 'Chrome',
      },
    ]);
  });

  test("a report's message is capped at 500 characters and its id at 80", () => {
    const [event] = eventsOf(
      'reports',
      [{ type: 'crash', url: '/book', body: { id: 'onClick '.repeat(20), message: 'onClick '.repeat(100) } }],
      context,
    );
    expect(event).toMatchObject({ id: `${'onClick '.repeat(10)}…`, message: `${'onClick '.repeat(62)}onCl…` });
  });

  test('50 reports are one batch; 0, 51, or anything but an array is 400', () => {
    const crash = { type: 'crash', url: '/book', body: {} };
    expect(eventsOf('reports', Array(50).fill(crash), context)).toHaveLength(50);
    expect(refusalOf(() => eventsOf('reports', Array(51).fill(crash), context))).toEqual({
      status: 400,
      message: 'reports: send 1 to 50 items per request',
    });
    expect(refusalOf(() => eventsOf('reports', [], context))).toEqual({
      status: 400,
      message: 'reports: send 1 to 50 items per request',
    });
    expect(refusalOf(() => eventsOf('reports', crash, context))).toEqual({
      status: 400,
      message: 'reports: expected a JSON array of reports',
    });
  });

  test('one malformed report refuses the whole batch', () => {
    const good = { type: 'crash', url: '/book', body: {} };
    for (const bad of [
      null,
      [],
      { ...good, type: 1 },
      { ...good, url: null },
      { ...good, body: 'x' },
      { ...good, body: [] },
    ])
      expect(refusalOf(() => eventsOf('reports', [good, bad], context))).toEqual({
        status: 400,
        message: 'reports: each report needs type, url and body',
      });
  });
});

describe('errors', () => {
  const stack = [
    'TypeError: Booking failed',
    ...Array.from(
      { length: 20 },
      (_, i) => `    at onClick (https://app.example.com/assets/index-c63af811.js:${i + 1}:5)`,
    ),
  ].join('\n');

  test('one error becomes one event: source, redacted message and stack, page path, release, browser, time', () => {
    const events = eventsOf(
      'errors',
      {
        message: 'Booking failed for anna@example.com',
        source: 'unhandledrejection',
        stack,
        path: '/booking/17?token=abc',
        release: 'r-2026-12-01.1',
        browser: 'Firefox',
        time: 1_733_000_000_000.7,
      },
      context,
    );
    expect(events).toEqual([
      {
        kind: 'client-error',
        source: 'unhandledrejection',
        message: 'Booking failed for [email]',
        // The error line and the top 12 frames.
        stack: stack.split('\n').slice(0, 13).join('\n'),
        path: '/booking/:bookingId',
        release: 'r-2026-12-01.1',
        browser: 'Firefox',
        clientTime: 1_733_000_000_001,
      },
    ]);
  });

  test('what the schema does not allow is defaulted: source, path, release, browser, time', () => {
    const [event] = eventsOf(
      'errors',
      [{ message: 'Booking failed', source: 'eval', path: 5, release: 'r 1; DROP', browser: 'Netscape', time: -3 }],
      context,
    );
    expect(event).toEqual({
      kind: 'client-error',
      source: 'error',
      message: 'Booking failed',
      stack: undefined,
      path: '/',
      release: 'unknown',
      browser: 'Chrome',
      clientTime: undefined,
    });
    const sources = ['manual', 'error', undefined].map(
      (source) => (eventsOf('errors', { message: 'x', source }, context)[0] as { source: string }).source,
    );
    expect(sources).toEqual(['manual', 'error', 'error']);
    const releaseOf = (release: unknown) =>
      (eventsOf('errors', { message: 'x', release }, context)[0] as { release: string }).release;
    expect(releaseOf(20261201)).toBe('unknown');
    expect(
      (eventsOf('errors', { message: 'x', release: 'r'.repeat(65) }, context)[0] as { release: string }).release,
    ).toBe('unknown');
    expect(
      (eventsOf('errors', { message: 'x', release: 'r'.repeat(64) }, context)[0] as { release: string }).release,
    ).toBe('r'.repeat(64));
  });

  test('the message is capped at 500 characters, the stack at 2000', () => {
    const [event] = eventsOf(
      'errors',
      { message: 'onClick '.repeat(100), stack: `TypeError: ${'onClick '.repeat(400)}` },
      context,
    ) as Array<{ message: string; stack: string }>;
    expect(event.message).toBe(`${'onClick '.repeat(62)}onCl…`);
    expect(event.stack).toHaveLength(2000);
    expect(event.stack.startsWith('TypeError: onClick onClick')).toBe(true);
  });

  test('only the first 4000 characters of a stack are read, however long one line of it is', () => {
    // Removed words collapse into one placeholder, so text read past the bound would show up in the result.
    const stack = `TypeError: ${'x '.repeat(2500)}TypeError`;
    expect((eventsOf('errors', { message: 'x', stack }, context)[0] as { stack: string }).stack).toBe(
      'TypeError: [redacted]',
    );
  });

  test('1 to 10 errors per request; a batch with one bad error is refused whole', () => {
    expect(eventsOf('errors', Array(10).fill({ message: 'x' }), context)).toHaveLength(10);
    const refusal = { status: 400, message: 'errors: send 1 to 10 items per request' };
    expect(refusalOf(() => eventsOf('errors', Array(11).fill({ message: 'x' }), context))).toEqual(refusal);
    expect(refusalOf(() => eventsOf('errors', [], context))).toEqual(refusal);
    for (const bad of [null, [], {}, { message: 5 }, { message: ' \n ' }])
      expect(refusalOf(() => eventsOf('errors', [{ message: 'x' }, bad], context))).toEqual({
        status: 400,
        message: 'errors: each error needs a non-empty "message"',
      });
    expect(refusalOf(() => eventsOf('errors', { message: 'x', stack: 5 }, context))).toEqual({
      status: 400,
      message: 'errors: "stack" must be a string',
    });
  });
});

describe('vitals', () => {
  test("metrics and a page view become one event with the page's route group", () => {
    const events = eventsOf(
      'vitals',
      {
        path: '/appointments/42',
        release: 'r-1',
        pageView: true,
        browser: 'Safari',
        metrics: { LCP: 1234.5, INP: 0, CLS: 0.02, TTFB: 600_000 },
      },
      context,
    );
    expect(events).toEqual([
      {
        kind: 'web-vitals',
        path: '/appointments/:id',
        routeGroup: '/appointments',
        pageView: true,
        metrics: { LCP: 1234.5, INP: 0, CLS: 0.02, TTFB: 600_000 },
        release: 'r-1',
        browser: 'Safari',
      },
    ]);
  });

  test('a page view alone, or a metric alone, is enough; the path defaults to /', () => {
    expect(eventsOf('vitals', { pageView: true }, context)).toEqual([
      {
        kind: 'web-vitals',
        path: '/',
        routeGroup: '/',
        pageView: true,
        metrics: {},
        release: 'unknown',
        browser: 'Chrome',
      },
    ]);
    expect(eventsOf('vitals', { path: '/book', pageView: 'yes', metrics: { CLS: 0.1 } }, context)).toEqual([
      {
        kind: 'web-vitals',
        path: '/book',
        routeGroup: '/book',
        pageView: false,
        metrics: { CLS: 0.1 },
        release: 'unknown',
        browser: 'Chrome',
      },
    ]);
  });

  test('an unknown metric, a value outside 0 to 600000, or nothing to count is 400', () => {
    const refused = (json: unknown) => refusalOf(() => eventsOf('vitals', json, context));
    expect(refused({ metrics: { FID: 3 } })).toEqual({
      status: 400,
      message: 'vitals: unknown metric "FID" (send LCP, INP, CLS, TTFB)',
    });
    expect(refused({ metrics: { ['x'.repeat(100)]: 1 } }).message).toBe(
      `vitals: unknown metric "${'x'.repeat(39)} (send LCP, INP, CLS, TTFB)`,
    );
    for (const value of [-0.1, 600_000.5, Number.NaN, '5', null])
      expect(refused({ metrics: { LCP: value } })).toEqual({
        status: 400,
        message: 'vitals: LCP must be a number from 0 to 600000',
      });
    for (const json of [{}, { metrics: {} }, { pageView: false, metrics: {} }])
      expect(refused(json)).toEqual({ status: 400, message: 'vitals: send a page view or at least one metric' });
    for (const json of [null, [], 'x', { metrics: [] }, { metrics: 'LCP' }])
      expect(refused(json)).toEqual({ status: 400, message: 'vitals: expected {"path", "metrics": {…}}' });
  });
});
