/**
 * The collector against local DynamoDB and SNS stand-ins, through the real SDK clients: what it refuses (and that
 * nothing is stored then), what it stores (redacted), novelty, and its bounds when the store or the notifier hangs.
 */
import { startCollector, post } from './support';

type Collector = Awaited<ReturnType<typeof startCollector>>;
/** The error kinds in the table, without the budget's and the notice caps' counters kept beside them. */
const kindKeys = () =>
  [...c.dynamodb.tables.get('miko-test-client-error-kinds')!.keys()].filter((key) => !/^(budget|notices)#/.test(key));
let c: Collector;
beforeEach(async () => {
  c = await startCollector();
});
afterEach(async () => {
  await c.close();
});

const cspReport = (documentUri: string, blocked = 'https://evil.example/x.js') => ({
  'csp-report': {
    'document-uri': documentUri,
    referrer: '',
    'violated-directive': 'script-src-elem',
    'effective-directive': 'script-src-elem',
    'original-policy': "default-src 'none'",
    disposition: 'enforce',
    'blocked-uri': blocked,
    'status-code': 200,
    'script-sample': '',
  },
});
const anError = (
  message: string,
  stack = `Error: ${message}\n    at onClick (https://app.example.com/assets/index-c63af811.js:1:2345)\n    at dispatch (https://app.example.com/assets/vendor-0123abcd.js:2:100)`,
) => ({
  message,
  stack,
  path: '/book',
  release: 'r-2026-12-01',
  browser: 'Chrome',
  time: 1_764_600_000_000,
  source: 'error',
});

describe('refusals store nothing', () => {
  it.each([
    ['malformed JSON', post('/_telemetry/errors', '{"message": "x"'), 400],
    ['oversized body', post('/_telemetry/errors', anError('x'.repeat(20_000))), 413],
    ['wrong content type', post('/_telemetry/errors', anError('boom'), { 'content-type': 'text/plain' }), 415],
    ['foreign Origin', post('/_telemetry/errors', anError('boom'), { origin: 'https://evil.example' }), 403],
    [
      'no Origin',
      { ...post('/_telemetry/errors', anError('boom')), headers: { 'content-type': 'application/json' } },
      403,
    ],
    [
      'a CSP report as JSON but not one',
      post('/_telemetry/csp', { hello: 1 }, { 'content-type': 'application/csp-report' }),
      400,
    ],
    ['an error without message', post('/_telemetry/errors', { stack: 'x' }), 400],
    [
      'a batch with one bad report',
      post(
        '/_telemetry/reports',
        [{ type: 'deprecation', url: 'https://app.example.com/', body: { id: 'x', message: 'm' } }, { type: 'crash' }],
        { 'content-type': 'application/reports+json' },
      ),
      400,
    ],
    ['an unknown vital', post('/_telemetry/vitals', { path: '/', metrics: { FID: 3 } }), 400],
    ['GET', { ...post('/_telemetry/errors', ''), requestContext: { http: { method: 'GET' } } }, 405],
    ['an unknown endpoint', post('/_telemetry/everything', anError('boom')), 404],
  ])('%s → %s', async (_what, event, status) => {
    const result = await c.handle(event);
    expect(result.statusCode).toBe(status);
    expect(c.stored).toEqual([]);
    expect(c.dynamodb.calls).toEqual([]);
  });
});

describe('privacy before storage', () => {
  it('stores a CSP report without its query strings and fragments', async () => {
    const result = await c.handle(
      post(
        '/_telemetry/csp',
        cspReport(
          'https://app.example.com/book?email=jane.doe@example.com#step-2',
          'https://evil.example/x.js?patient=123456789',
        ),
        { 'content-type': 'application/csp-report', 'x-miko-release': 'r-7' },
      ),
    );
    expect(result.statusCode).toBe(204);
    expect(c.stored).toHaveLength(1);
    const line = JSON.stringify(c.stored[0]);
    expect(line).not.toMatch(/email|jane|patient|123456789|step-2|\?/);
    expect(c.stored[0]).toMatchObject({
      event: 'csp-violation',
      documentPath: '/book',
      // A CSP fix needs the origin; a path the release does not name could be anything.
      blockedUri: 'https://evil.example/:id',
      directive: 'script-src-elem',
      disposition: 'enforce',
      release: 'r-7',
      Environment: 'staging',
      CspViolations: 1,
    });
  });

  it('redacts e-mails, phone numbers, digit runs, JWTs and keys from messages and stacks', async () => {
    const jwt = ['eyJhbGciOiJIUzI1NiJ9', 'eyJyb2xlIjoic2VydmljZV9yb2xlIn0', 'c2lnbmF0dXJlLXZhbHVl'].join('.');
    const key = 'sb_' + 'secret_' + 'abcdefghijklmnop1234';
    const message = `Failed for jane.doe@example.com (+1 (310) 555-0100), MRN 12345678, token ${jwt}, key ${key}`;
    const stack = `Error: ${message}\n    at submit (https://app.example.com/assets/index-c63af811.js?user=jane@example.com:1:2)\n    at x (https://app.example.com/book/jane@example.com:3:4)`;
    expect(
      (
        await c.handle(
          post('/_telemetry/errors', { ...anError(message, stack), path: '/patients/jane@example.com/123?q=1' }),
        )
      ).statusCode,
    ).toBe(204);
    const line = JSON.stringify(c.stored[0]);
    for (const secret of ['jane', '555-0100', '12345678', jwt.slice(0, 30), 'sb_secret', 'user=', '?q='])
      expect(line).not.toContain(secret);
    // "Failed", "for" and "key" are the engine's, "token" the release's; "MRN" is neither.
    expect(c.stored[0].message).toBe('Failed for [email] ([phone]), [redacted] [number], token [jwt], key [key]');
    expect(c.stored[0].path).toBe('/patients/:id/:id');
    expect(c.stored[0].stack).toContain('at submit (https://app.example.com/assets/index-c63af811.js:1:2)');
  });

  it('never stores the client IP or the full User-Agent', async () => {
    await c.handle(
      post('/_telemetry/errors', anError('boom'), {
        'x-forwarded-for': '203.0.113.9',
        'cloudfront-viewer-address': '203.0.113.9:4431',
      }),
    );
    const line = JSON.stringify(c.stored[0]);
    expect(line).not.toContain('203.0.113.9');
    expect(line).not.toContain('AppleWebKit');
    expect(c.stored[0].browser).toBe('Chrome');
  });
});

describe('events and metrics', () => {
  it('counts an error and a new kind once, then only the error', async () => {
    await c.handle(post('/_telemetry/errors', anError("Cannot read properties of undefined (reading 'slot')")));
    await c.handle(post('/_telemetry/errors', anError("Cannot read properties of undefined (reading 'slot')")));
    await c.handle(post('/_telemetry/errors', anError('Booking 42 failed')));
    expect(c.stored.map((s) => [s.novelty, s.ClientErrors, s.NewClientErrorKinds])).toEqual([
      ['new', 1, 1],
      ['known', 1, undefined],
      ['new', 1, 1],
    ]);
    expect(c.stored[0]._aws.CloudWatchMetrics[0]).toEqual({
      Namespace: 'MiKO/Client',
      Dimensions: [['Environment']],
      Metrics: [
        { Name: 'ClientErrors', Unit: 'Count', StorageResolution: 1 },
        { Name: 'NewClientErrorKinds', Unit: 'Count', StorageResolution: 1 },
      ],
    });
    expect(c.stored[1]._aws.CloudWatchMetrics[0].Metrics.map((m: any) => m.Name)).toEqual(['ClientErrors']);
    expect(kindKeys()).toHaveLength(2);
    expect(c.sns.published).toHaveLength(2);
    // The release named is the one the site served (the routing function's header), never the report's own.
    expect(c.sns.published[0].subject).toBe(
      `[warning] MiKO staging: new client error ${c.stored[0].fingerprint} in release unknown`,
    );
  });

  it('treats an expired kind (not yet deleted by TTL) as new again', async () => {
    await c.handle(post('/_telemetry/errors', anError('stale')));
    const item = c.dynamodb.tables.get('miko-test-client-error-kinds')!.get(kindKeys()[0])!;
    item.expiresAt = { N: String(Math.floor(Date.now() / 1000) - 1) };
    await c.handle(post('/_telemetry/errors', anError('stale')));
    expect(c.stored.map((s) => s.novelty)).toEqual(['new', 'new']);
  });

  it('publishes web vitals and page views with their units', async () => {
    await c.handle(
      post('/_telemetry/vitals', {
        path: '/appointments/42?x=1',
        release: 'r-1',
        pageView: true,
        metrics: { LCP: 1800, INP: 120, CLS: 0.05, TTFB: 300 },
      }),
    );
    expect(c.stored[0]).toMatchObject({
      event: 'web-vitals',
      path: '/appointments/:id',
      routeGroup: '/appointments',
      PageViews: 1,
      LCP: 1800,
      INP: 120,
      metrics: { CLS: 0.05, TTFB: 300 },
    });
    // CLS and TTFB are fields only (Logs Insights); LCP and INP are metrics because they alarm.
    expect(c.stored[0]._aws.CloudWatchMetrics[0].Metrics.map((m: any) => `${m.Name}:${m.Unit}`)).toEqual([
      'PageViews:Count',
      'LCP:Milliseconds',
      'INP:Milliseconds',
    ]);
  });

  it('takes Reporting API batches: CSP violations, crashes, deprecations, interventions; drops other types', async () => {
    const reports = [
      {
        type: 'csp-violation',
        age: 1,
        url: 'https://app.example.com/?a=b',
        user_agent: 'x Firefox/140.0',
        body: {
          documentURL: 'https://app.example.com/?a=b',
          blockedURL: 'inline',
          effectiveDirective: 'style-src-elem',
          disposition: 'report',
          sample: 'body{color:red}',
        },
      },
      { type: 'crash', age: 1, url: 'https://app.example.com/book', body: { reason: 'oom' } },
      {
        type: 'deprecation',
        age: 1,
        url: 'https://app.example.com/',
        body: {
          id: 'UnloadHandler',
          message: 'Unload handlers are deprecated',
          sourceFile: 'https://app.example.com/assets/a.js?v=1',
          lineNumber: 3,
        },
      },
      { type: 'network-error', age: 1, url: 'https://app.example.com/', body: {} },
    ];
    expect(
      (await c.handle(post('/_telemetry/reports', reports, { 'content-type': 'application/reports+json' }))).statusCode,
    ).toBe(204);
    expect(c.stored.map((s) => [s.event, s.directive ?? s.type])).toEqual([
      ['csp-violation', 'style-src-elem'],
      ['browser-report', 'crash'],
      ['browser-report', 'deprecation'],
    ]);
    expect(c.stored[0]).toMatchObject({
      disposition: 'report',
      Disposition: 'report',
      browser: 'Firefox',
      documentPath: '/',
    });
    expect(c.stored[2].sourceFile).toBe('https://app.example.com/assets/a.js');
  });
});

describe('bounds', () => {
  it.each(['hang', 'fail', 'throttle'] as const)(
    'a store that %ss: answered within its bound, the event still logged, not counted as new',
    async (behaviour) => {
      c.dynamodb.behaviour = behaviour;
      const started = Date.now();
      const result = await c.handle(post('/_telemetry/errors', anError('while the store is down')));
      expect(result.statusCode).toBe(204);
      expect(Date.now() - started).toBeLessThan(800);
      expect(c.stored).toHaveLength(1);
      expect(c.stored[0]).toMatchObject({ novelty: 'unknown', ClientErrors: 1 });
      expect(c.stored[0].NewClientErrorKinds).toBeUndefined();
    },
  );

  it.each(['hang', 'fail', 'throttle'] as const)(
    'a notifier that %ss: answered within its bound, the new kind still counted',
    async (behaviour) => {
      c.sns.behaviour = behaviour;
      const started = Date.now();
      expect((await c.handle(post('/_telemetry/errors', anError('while SNS is down')))).statusCode).toBe(204);
      expect(Date.now() - started).toBeLessThan(800);
      expect(c.stored[0]).toMatchObject({ novelty: 'new', NewClientErrorKinds: 1, notified: false });
    },
  );
});
