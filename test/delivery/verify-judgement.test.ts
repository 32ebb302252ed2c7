/**
 * verify's judgement, fast and in process: the site checks against a local site with one fault at a time, and the
 * critical alarms judged against a local CloudWatch on a virtual clock. The whole command is in verify.test.ts.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { AlarmSelection, Clock, judgeAlarms, realClock, waitForAlarmsToClear } from '../../scripts/verify/alarm-check';
import {
  IMMUTABLE_ASSET_CACHE_CONTROL,
  immutableForAYear,
  mustRevalidate,
  parseCacheControl,
  shortLived,
} from '../../scripts/verify/cache-control';
import { couldNotCheck, EXIT, exitCodeFor, fail, formatResult, pass } from '../../scripts/verify/check';
import { checkSite } from '../../scripts/verify/site-checks';
import { FakeAlarm, startFakeCloudWatch } from '../../tools/stand-ins/cloudwatch';
import { listen } from '../../tools/stand-ins/http';
import { ASSET, INDEX_HTML, LIVE_RELEASE, PathAnswer, SiteFaults } from '../../tools/stand-ins/site';
import { failedChecks, HEADERS, withSite } from '../support/verify-site';
import { withLowRetryJitter } from '../support/retry-jitter';

describe('verify against local sites', () => {
  type Line = [name: string, ok: boolean, detail: string];
  const SHORT = 'public, max-age=300, must-revalidate';
  const CONNECTION_CUT = 'fetch failed (other side closed)';

  /** Every site check against a local site with `faults`: each result as a line, and every path asked for. */
  const runChecks = (faults: SiteFaults) =>
    withSite(faults, async (url, paths) => {
      const results = await checkSite(url, { headers: HEADERS, release: LIVE_RELEASE });
      // The made-up missing asset's name changes with the time: read it from what the site was asked.
      const missing = paths.find((p) => p.startsWith('/assets/verify-missing-')) ?? 'no missing asset asked for';
      return { lines: results.map((r): Line => [r.name, r.ok, r.detail]), paths: [...paths], missing };
    });

  /** Everything verify says of a site that gets everything right. */
  const allGood = (missing: string): Line[] => [
    ...Object.entries(HEADERS.values).map(([header, value]): Line => [`header ${header}`, true, value]),
    ['header Server removed', true, 'absent'],
    ['security headers on every file class', true, '4 responses, including the 404'],
    ['cache index.html', true, '/: no-cache'],
    ['cache hashed asset', true, `${ASSET}: ${IMMUTABLE_ASSET_CACHE_CONTROL}`],
    ['cache config.json', true, '/config.json: no-cache'],
    ['cache version.json', true, '/version.json: no-cache'],
    ['cache favicon', true, `/favicon.svg: ${SHORT}`],
    ['cache robots.txt', true, `/robots.txt: ${SHORT}`],
    ['deep link', true, '/booking/confirm answered 200 HTML'],
    ['missing asset', true, `${missing} answered 404 application/xml`],
    ['release', true, `live release is "${LIVE_RELEASE}"`],
    ['health', true, `/health answered 200 (release "${LIVE_RELEASE}")`],
  ];

  /** The site answers `path` (or any path it matches) its own way. */
  const onPath = (path: string | RegExp, answer: PathAnswer): SiteFaults => ({
    answer: (p) => ((typeof path === 'string' ? p === path : path.test(p)) ? answer : undefined),
  });
  const MISSING_ASSET = /^\/assets\/verify-missing-/;
  const versionJson = (body: string): SiteFaults =>
    onPath('/version.json', { status: 200, type: 'application/json', cacheControl: 'no-cache', body });
  const CSP = HEADERS.values['Content-Security-Policy'];

  it('passes a site that gets everything right, saying what it saw, and asks for each path once', async () => {
    const { lines, paths, missing } = await runChecks({});
    expect(lines).toEqual(allGood(missing));
    expect(missing).toMatch(/^\/assets\/verify-missing-[a-z0-9]+\.js$/);
    expect(paths).toEqual([
      '/',
      '/booking/confirm',
      ASSET,
      '/version.json',
      missing,
      '/config.json',
      '/favicon.svg',
      '/robots.txt',
      '/health',
    ]);
  });

  // Each case: the fault, and every line that differs from allGood (all other lines must stay as they are).
  it.each<[string, SiteFaults, (missing: string) => Line[]]>([
    [
      'a header missing everywhere',
      { dropHeader: 'Content-Security-Policy' },
      (missing) => [
        ['header Content-Security-Policy', false, `missing on /; expected "${CSP}"`],
        [
          'security headers on every file class',
          false,
          `missing or different: Content-Security-Policy on /booking/confirm, Content-Security-Policy on ${ASSET}, Content-Security-Policy on /version.json, Content-Security-Policy on ${missing}`,
        ],
      ],
    ],
    [
      'a weakened header',
      { overrideHeader: { name: 'Strict-Transport-Security', value: 'max-age=300' } },
      (missing) => [
        [
          'header Strict-Transport-Security',
          false,
          'weakened or changed on /: expected "max-age=63072000; includeSubDomains; preload", got "max-age=300"',
        ],
        [
          'security headers on every file class',
          false,
          `missing or different: Strict-Transport-Security on /booking/confirm, Strict-Transport-Security on ${ASSET}, Strict-Transport-Security on /version.json, Strict-Transport-Security on ${missing}`,
        ],
      ],
    ],
    [
      'a header missing on one file class only',
      onPath('/version.json', {
        status: 200,
        type: 'application/json',
        cacheControl: 'no-cache',
        body: JSON.stringify({ release: LIVE_RELEASE }),
        withoutHeader: 'X-Frame-Options',
      }),
      () => [['security headers on every file class', false, 'missing or different: X-Frame-Options on /version.json']],
    ],
    [
      'a header that should be stripped',
      { overrideHeader: { name: 'Server', value: 'AmazonS3' } },
      () => [['header Server removed', false, 'present: "AmazonS3"']],
    ],
    [
      'a cached index.html',
      { indexCacheControl: 'public, max-age=86400' },
      () => [
        ['cache index.html', false, '/: expected no-cache, got "public, max-age=86400"'],
        ['deep link', false, '/booking/confirm is HTML but cached: expected no-cache, got "public, max-age=86400"'],
      ],
    ],
    [
      'an index.html that references no hashed asset',
      { indexHtml: '<!doctype html><html><head><link rel="icon" href="/favicon.svg"></head><body></body></html>' },
      () => [
        ['security headers on every file class', true, '3 responses, including the 404'],
        ['cache hashed asset', false, 'index.html references no /assets/ file to check'],
      ],
    ],
    [
      'config.json missing from the build (S3 answers 403 without ListBucket)',
      onPath('/config.json', {
        status: 403,
        type: 'application/xml',
        body: '<Error><Code>AccessDenied</Code></Error>',
      }),
      () => [['cache config.json', false, 'GET /config.json answered 403']],
    ],
    [
      'a public file answered with the app (HTML with a 404)',
      onPath('/robots.txt', {
        status: 404,
        type: 'text/html; charset=utf-8',
        cacheControl: 'no-cache',
        body: INDEX_HTML,
      }),
      () => [['cache robots.txt', false, 'GET /robots.txt answered 404']],
    ],
    [
      'a public file answered with the app (HTML with a 200)',
      onPath('/robots.txt', { status: 200, type: 'text/html', cacheControl: 'no-cache', body: INDEX_HTML }),
      () => [
        ['cache robots.txt', false, '/robots.txt answered 200 with HTML (SPA fallback): it must be the file or a 404'],
      ],
    ],
    [
      'a public file answered 403',
      onPath('/favicon.svg', {
        status: 403,
        type: 'application/xml',
        body: '<Error><Code>AccessDenied</Code></Error>',
      }),
      () => [['cache favicon', false, 'GET /favicon.svg answered 403']],
    ],
    [
      'a public file marked immutable',
      onPath('/favicon.svg', {
        status: 200,
        type: 'image/svg+xml',
        cacheControl: IMMUTABLE_ASSET_CACHE_CONTROL,
        body: '<svg/>',
      }),
      () => [
        [
          'cache favicon',
          false,
          '/favicon.svg: un-hashed file marked immutable ("public, max-age=31536000, immutable")',
        ],
      ],
    ],
    [
      'a deep link S3 refuses (no SPA routing)',
      onPath('/booking/confirm', {
        status: 403,
        type: 'application/xml',
        body: '<Error><Code>AccessDenied</Code></Error>',
      }),
      () => [['deep link', false, '/booking/confirm answered 403 application/xml; expected 200 HTML']],
    ],
    [
      'a deep link answered with the app but status 404',
      onPath('/booking/confirm', {
        status: 404,
        type: 'text/html; charset=utf-8',
        cacheControl: 'no-cache',
        body: INDEX_HTML,
      }),
      () => [['deep link', false, '/booking/confirm answered 404 text/html; charset=utf-8; expected 200 HTML']],
    ],
    [
      'a deep link answered 200 with something other than HTML',
      onPath('/booking/confirm', { status: 200, type: 'binary/octet-stream', cacheControl: 'no-cache', body: 'x' }),
      () => [['deep link', false, '/booking/confirm answered 200 binary/octet-stream; expected 200 HTML']],
    ],
    [
      'a deep link redirected to the home page (not followed: the deep link itself must be the app)',
      onPath('/booking/confirm', { status: 302, type: 'text/html', location: '/', body: '<a href="/">/</a>' }),
      () => [['deep link', false, '/booking/confirm answered 302 text/html; expected 200 HTML']],
    ],
    [
      'a deep link answered without a Content-Type',
      onPath('/booking/confirm', { status: 204 }),
      () => [['deep link', false, '/booking/confirm answered 204 without a Content-Type; expected 200 HTML']],
    ],
    [
      'SPA fallback serving HTML for a missing asset',
      { spaFallbackForMissingAssets: true },
      (missing) => [
        [
          'missing asset',
          false,
          `${missing} answered 200 with HTML (SPA fallback): a missing chunk must be a real 404`,
        ],
      ],
    ],
    [
      'a missing asset answered 403 (S3 without ListBucket)',
      onPath(MISSING_ASSET, { status: 403, type: 'application/xml', body: '<Error><Code>AccessDenied</Code></Error>' }),
      (missing) => [['missing asset', false, `${missing} answered 403; expected 404`]],
    ],
    [
      'a missing asset answered 404 without a Content-Type (passes)',
      onPath(MISSING_ASSET, { status: 404 }),
      (missing) => [['missing asset', true, `${missing} answered 404`]],
    ],
    [
      'the wrong release',
      { release: 'previous-release' },
      () => [
        ['release', false, `live release is "previous-release", expected "${LIVE_RELEASE}"`],
        ['health', false, `/health answered 200 but serves release "previous-release", expected "${LIVE_RELEASE}"`],
      ],
    ],
    [
      'a version.json that is not JSON',
      versionJson('{"release": "2026-11-'),
      () => [['release', false, '/version.json answered 200 with something that is not JSON']],
    ],
    [
      'a version.json naming no release',
      versionJson('{"commit":"abc1234"}'),
      () => [['release', false, '/version.json names no release']],
    ],
    [
      'a version.json with an empty release',
      versionJson('{"release":""}'),
      () => [['release', false, '/version.json names no release']],
    ],
    ['a version.json of JSON null', versionJson('null'), () => [['release', false, '/version.json names no release']]],
    [
      'a version.json whose release is not a string',
      versionJson('{"release":20261122}'),
      () => [['release', false, '/version.json names no release']],
    ],
    ['an unhealthy /health', { healthStatus: 503 }, () => [['health', false, '/health answered 503; expected 200']]],
    [
      '/health routed to the app (HTML, not JSON)',
      onPath('/health', { status: 200, type: 'text/html; charset=utf-8', cacheControl: 'no-cache', body: INDEX_HTML }),
      () => [['health', false, '/health answered 200 with something that is not JSON']],
    ],
    [
      'a /health that names no release (passes: only a different release is wrong)',
      onPath('/health', { status: 200, type: 'application/json', cacheControl: 'no-store', body: '{"status":"ok"}' }),
      () => [['health', true, '/health answered 200']],
    ],
    [
      "a build that has no favicon or robots.txt (passes: they are the app's choice)",
      { withoutPublicFiles: true },
      () => [
        ['cache favicon', true, '/favicon.ico: not in this build (404)'],
        ['cache robots.txt', true, '/robots.txt: not in this build (404)'],
      ],
    ],
    [
      'a favicon linked as "shortcut icon" after other attributes (passes: it is found)',
      { indexHtml: INDEX_HTML.replace('<link rel="icon" ', '<link type="image/svg+xml" rel="shortcut icon" ') },
      () => [],
    ],
    [
      'a favicon link that is not a URL (the request cannot even be made)',
      { indexHtml: INDEX_HTML.replace('href="/favicon.svg"', 'href="//"') },
      () => [['cache favicon', false, 'GET // failed: Invalid URL']],
    ],
    [
      'requests that fail for some paths only',
      {
        answer: (path) =>
          ['/booking/confirm', '/config.json', '/version.json', '/robots.txt', '/health'].includes(path) ||
          MISSING_ASSET.test(path)
            ? 'connection reset'
            : undefined,
      },
      (missing) => [
        [
          'security headers on every file class',
          false,
          `missing or different: every header on /booking/confirm (no response), every header on /version.json (no response), every header on ${missing} (no response)`,
        ],
        ['cache config.json', false, `GET /config.json failed: ${CONNECTION_CUT}`],
        ['cache version.json', false, `GET /version.json failed: ${CONNECTION_CUT}`],
        ['cache robots.txt', false, `GET /robots.txt failed: ${CONNECTION_CUT}`],
        ['deep link', false, `GET /booking/confirm failed: ${CONNECTION_CUT}`],
        ['missing asset', false, `GET ${missing} failed: ${CONNECTION_CUT}`],
        ['release', false, `GET /version.json failed: ${CONNECTION_CUT}`],
        ['health', false, `GET /health failed: ${CONNECTION_CUT}`],
      ],
    ],
  ])('reports %s, every line exact', async (_label, faults, changed) => {
    const { lines, missing } = await runChecks(faults);
    const expected = allGood(missing).map((line) => changed(missing).find(([name]) => name === line[0]) ?? line);
    expect(lines).toEqual(expected);
  });

  it('fails the header check, not passes it, when the expected headers are unknown', async () => {
    const results = await withSite({}, (url) =>
      checkSite(url, { headers: { error: 'the Site stack has no AWS::CloudFront::ResponseHeadersPolicy' } }),
    );
    expect(failedChecks(results)).toEqual(['security headers']);
    expect(results.find((r) => r.name === 'security headers')).toEqual({
      name: 'security headers',
      ok: false,
      unknown: true,
      detail: 'cannot know the expected values: the Site stack has no AWS::CloudFront::ResponseHeadersPolicy',
    });
  });

  it('says "could not check", not "release bad", for a site that does not answer at all, naming the URL it asked', async () => {
    // A port nothing listens on any more; --url with a path: the checks still start at the site's root.
    const closed = await listen(() => undefined);
    await closed.close();
    const results = await checkSite(`${closed.url}/booking/`, { headers: HEADERS });
    expect(results).toEqual([
      {
        name: 'site reachable',
        ok: false,
        unknown: true,
        detail: `GET ${closed.url}/ failed: fetch failed (connect ECONNREFUSED 127.0.0.1:${closed.port}). Fix: check --url and your network; if the site is down for everyone, docs/runbooks/site-down.md`,
      },
    ]);
    expect(exitCodeFor(results)).toBe(EXIT.couldNotCheck);
  });
});

describe('judging the release by its critical alarms, against a local CloudWatch (AWS JSON 1.0, as the SDK speaks it)', () => {
  const saved = { ...process.env };
  beforeEach(() => {
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: 'AKIDLOCALTEST',
      AWS_SECRET_ACCESS_KEY: 'local-test-secret',
      AWS_REGION: 'us-east-1',
    });
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  /** The deploy started here; the alarms' transition times are relative to it. */
  const SINCE = new Date('2026-11-22T03:00:00Z');
  const at = (secondsAfterDeployStart: number) => SINCE.getTime() / 1000 + secondsAfterDeployStart;
  const SELECTION: AlarmSelection = {
    critical: [
      { name: 'miko-staging-critical-site-down', releaseRelated: true },
      { name: 'miko-staging-critical-error-rate-5xx', releaseRelated: true },
      { name: 'miko-staging-critical-database-check-failing', releaseRelated: false },
      { name: 'miko-staging-critical-rotation-errors-google-api-key', releaseRelated: false },
    ],
  };
  const quiet = (): FakeAlarm[] => [
    { AlarmName: 'miko-staging-critical-site-down', StateValue: 'OK', StateTransitionedTimestamp: at(-3600) },
    { AlarmName: 'miko-staging-critical-error-rate-5xx', StateValue: 'OK', StateTransitionedTimestamp: at(-3600) },
    {
      AlarmName: 'miko-staging-critical-database-check-failing',
      StateValue: 'OK',
      StateTransitionedTimestamp: at(-3600),
    },
    {
      AlarmName: 'miko-staging-critical-rotation-errors-google-api-key',
      StateValue: 'OK',
      StateTransitionedTimestamp: at(-3600),
    },
    { AlarmName: 'miko-staging-warning-latency-1s', StateValue: 'OK', StateTransitionedTimestamp: at(-3600) },
  ];
  const set = (alarms: FakeAlarm[], name: string, state: FakeAlarm['StateValue'], when: number, reason?: string) => {
    const index = alarms.findIndex((a) => a.AlarmName === name);
    alarms[index] = { ...alarms[index], StateValue: state, StateTransitionedTimestamp: when, StateReason: reason };
  };

  /** A clock that runs the settle window at once; `events` change the alarms when virtual time passes them. */
  function virtualClock(startSeconds: number, events: Array<[number, () => void]> = []) {
    let now = at(startSeconds) * 1000;
    const sleeps: number[] = [];
    const fire = () => {
      for (const event of events.filter(([t]) => at(t) * 1000 <= now)) {
        event[1]();
        events.splice(events.indexOf(event), 1);
      }
    };
    return {
      sleeps,
      elapsed: () => now / 1000 - at(startSeconds),
      clock: {
        now: () => now,
        sleep: async (ms: number) => {
          sleeps.push(ms);
          now += ms;
          fire();
        },
      },
    };
  }

  async function withCloudWatch<T>(
    alarms: FakeAlarm[],
    run: (client: CloudWatchClient, requests: any[]) => Promise<T>,
  ): Promise<T> {
    const requests: any[] = [];
    const cloudwatch = await startFakeCloudWatch(alarms, requests);
    // The endpoint comes from the environment, as in CI against a stand-in: verify never sets one itself.
    process.env.AWS_ENDPOINT_URL_CLOUDWATCH = cloudwatch.url;
    try {
      return await run(new CloudWatchClient({ maxAttempts: 1 }), requests);
    } finally {
      await cloudwatch.close();
    }
  }

  const judge = (client: CloudWatchClient, clock: Clock, notes: string[] = []) =>
    judgeAlarms(client, SELECTION, {
      since: SINCE,
      settleSeconds: 180,
      pollSeconds: 10,
      clock,
      note: (line) => notes.push(line),
    });

  it('passes a quiet release after watching the whole settle window, reading every page each time', async () => {
    const time = virtualClock(90);
    const result = await withCloudWatch(quiet(), async (client, requests) => {
      const judged = await judge(client, time.clock);
      // Only the critical alarms, by name, both kinds; two pages (the stand-in's page is 2) on each of 19 reads.
      const names = SELECTION.critical.map((c) => c.name);
      expect(requests.slice(0, 3)).toStrictEqual([
        { AlarmNames: names, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] },
        { AlarmNames: names, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], NextToken: '2' },
        { AlarmNames: names, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] },
      ]);
      expect(requests).toHaveLength(38);
      return judged;
    });
    expect(result).toEqual({
      name: 'critical alarms',
      ok: true,
      detail: '4 critical alarm(s) watched for the 180 s settle window; none fired because of the release',
    });
    expect(time.elapsed()).toBe(180);
  });

  it('does not fail for a warning in ALARM', async () => {
    const alarms = quiet();
    set(alarms, 'miko-staging-warning-latency-1s', 'ALARM', at(30));
    const result = await withCloudWatch(alarms, (client) => judge(client, virtualClock(90).clock));
    expect(exitCodeFor([result])).toBe(EXIT.good);
  });

  it('reports a critical alarm already in ALARM before the deploy, and does not fail a healthy release for it', async () => {
    const alarms = quiet();
    set(
      alarms,
      'miko-staging-critical-error-rate-5xx',
      'ALARM',
      at(-600),
      'Threshold Crossed: 1 datapoint [9.0] > 5.0',
    );
    const notes: string[] = [];
    const result = await withCloudWatch(alarms, (client) => judge(client, virtualClock(90).clock, notes));
    expect(result.ok).toBe(true);
    expect(notes).toEqual([
      'already in ALARM before the deploy, not blamed on the release: miko-staging-critical-error-rate-5xx (Threshold Crossed: 1 datapoint [9.0] > 5.0)',
    ]);
  });

  it('fails with "release bad" when a release-related critical alarm fires within the settle window', async () => {
    const alarms = quiet();
    const time = virtualClock(90, [
      [
        220,
        () =>
          set(
            alarms,
            'miko-staging-critical-site-down',
            'ALARM',
            at(215),
            'Threshold Crossed: 1 datapoint [1.0] >= 1.0',
          ),
      ],
    ]);
    const notes: string[] = [];
    const result = await withCloudWatch(alarms, (client) => judge(client, time.clock, notes));
    expect(result).toMatchObject({
      ok: false,
      detail:
        'release-related critical alarm fired 130 s into the 180 s settle window: miko-staging-critical-site-down (Threshold Crossed: 1 datapoint [1.0] >= 1.0)',
    });
    expect(result.unknown).toBeUndefined();
    expect(exitCodeFor([result])).toBe(EXIT.releaseBad);
    expect(notes).toEqual([]);
  });

  it('blames the release for every release-related alarm that fired since the deploy started, to the second', async () => {
    const alarms = quiet();
    set(alarms, 'miko-staging-critical-site-down', 'ALARM', at(0), 'Threshold Crossed: 1 datapoint [1.0] >= 1.0');
    set(alarms, 'miko-staging-critical-error-rate-5xx', 'ALARM', at(20));
    const notes: string[] = [];
    const result = await withCloudWatch(alarms, (client) => judge(client, virtualClock(90).clock, notes));
    expect(result).toEqual({
      name: 'critical alarms',
      ok: false,
      detail:
        'release-related critical alarm fired 0 s into the 180 s settle window: miko-staging-critical-site-down (Threshold Crossed: 1 datapoint [1.0] >= 1.0); miko-staging-critical-error-rate-5xx',
    });
    expect(notes).toEqual([]);
  });

  it('does not blame the release for a release-related alarm that changed to OK or INSUFFICIENT_DATA during the deploy', async () => {
    const alarms = quiet();
    set(alarms, 'miko-staging-critical-site-down', 'OK', at(30));
    set(alarms, 'miko-staging-critical-error-rate-5xx', 'INSUFFICIENT_DATA', at(45));
    const result = await withCloudWatch(alarms, (client) => judge(client, virtualClock(90).clock));
    expect(result).toEqual({
      name: 'critical alarms',
      ok: true,
      detail: '4 critical alarm(s) watched for the 180 s settle window; none fired because of the release',
    });
  });

  it('watches exactly the settle window when it is not a whole number of polls', async () => {
    const time = virtualClock(90);
    const result = await withCloudWatch(quiet(), (client) =>
      judgeAlarms(client, SELECTION, { since: SINCE, settleSeconds: 25, pollSeconds: 10, clock: time.clock }),
    );
    expect(time.sleeps).toEqual([10_000, 10_000, 5_000]);
    expect(result.detail).toBe(
      '4 critical alarm(s) watched for the 25 s settle window; none fired because of the release',
    );
  });

  it('judges a critical composite alarm, which CloudWatch lists only when asked for composites', async () => {
    const alarms = quiet();
    const index = alarms.findIndex((a) => a.AlarmName === 'miko-staging-critical-site-down');
    alarms[index] = { ...alarms[index], StateValue: 'ALARM', StateTransitionedTimestamp: at(50), composite: true };
    const result = await withCloudWatch(alarms, (client) => judge(client, virtualClock(90).clock));
    expect(result).toEqual({
      name: 'critical alarms',
      ok: false,
      detail: 'release-related critical alarm fired 0 s into the 180 s settle window: miko-staging-critical-site-down',
    });
  });

  it('asks for at most 100 alarm names per call, as DescribeAlarms allows', async () => {
    const names = (n: number) => Array.from({ length: n }, (_, i) => `miko-staging-critical-check-${i}`);
    const run = async (critical: string[]) => {
      const requests: any[] = [];
      const alarms = critical.map((name) => ({ AlarmName: name, StateValue: 'OK' as const }));
      const cloudwatch = await startFakeCloudWatch(alarms, requests, { pageSize: 100 });
      process.env.AWS_ENDPOINT_URL_CLOUDWATCH = cloudwatch.url;
      try {
        const result = await judgeAlarms(
          new CloudWatchClient({ maxAttempts: 1 }),
          { critical: critical.map((name) => ({ name, releaseRelated: true })) },
          { since: SINCE, settleSeconds: 0, pollSeconds: 10, clock: virtualClock(90).clock },
        );
        return { result, calls: requests.map((r) => r.AlarmNames) };
      } finally {
        await cloudwatch.close();
      }
    };
    const hundred = await run(names(100));
    expect(hundred.calls).toEqual([names(100)]);
    expect(hundred.result.detail).toMatch(/^100 critical alarm\(s\) watched/);
    const more = await run(names(101));
    expect(more.calls).toEqual([names(100), ['miko-staging-critical-check-100']]);
    expect(more.result).toEqual({
      name: 'critical alarms',
      ok: true,
      detail: '101 critical alarm(s) watched for the 0 s settle window; none fired because of the release',
    });
  });

  it('fails at once when a release-related alarm went into ALARM during the deploy, before verify started', async () => {
    const alarms = quiet();
    set(alarms, 'miko-staging-critical-error-rate-5xx', 'ALARM', at(40));
    const time = virtualClock(90);
    const result = await withCloudWatch(alarms, (client) => judge(client, time.clock));
    expect(exitCodeFor([result])).toBe(EXIT.releaseBad);
    expect(time.sleeps).toEqual([]);
  });

  it('reports, without blaming the release, a critical alarm a release cannot cause (database, rotation)', async () => {
    const alarms = quiet();
    const notes: string[] = [];
    const time = virtualClock(90, [
      [150, () => set(alarms, 'miko-staging-critical-rotation-errors-google-api-key', 'ALARM', at(145))],
    ]);
    const result = await withCloudWatch(alarms, (client) => judge(client, time.clock, notes));
    expect(result.ok).toBe(true);
    expect(notes).toEqual([
      'in ALARM, but not something a release causes (still paging): miko-staging-critical-rotation-errors-google-api-key',
    ]);
  });

  it('rides out throttled DescribeAlarms calls with the retries verify configures, and "could not check" when throttling persists', () =>
    withLowRetryJitter(async () => {
      let throttles = 2;
      const cloudwatch = await startFakeCloudWatch(quiet(), [], {
        throttleNext: () => throttles > 0 && throttles-- > 0,
      });
      process.env.AWS_ENDPOINT_URL_CLOUDWATCH = cloudwatch.url;
      try {
        // verify's own client: three attempts (scripts/verify.ts).
        const client = new CloudWatchClient({ maxAttempts: 3 });
        expect(await judge(client, virtualClock(90).clock)).toMatchObject({ ok: true });
        expect(throttles).toBe(0);
        throttles = 3;
        expect(await judge(client, virtualClock(90).clock)).toMatchObject({
          ok: false,
          unknown: true,
          detail: 'cannot read alarms: Rate exceeded',
        });
      } finally {
        await cloudwatch.close();
      }
    }));

  it('answers "could not check", not "release bad", when CloudWatch cannot be read or a critical alarm is not deployed', async () => {
    process.env.AWS_ENDPOINT_URL_CLOUDWATCH = 'http://127.0.0.1:9';
    const unreachable = await judge(new CloudWatchClient({ maxAttempts: 1 }), virtualClock(90).clock);
    expect(unreachable).toMatchObject({
      ok: false,
      unknown: true,
      detail: expect.stringMatching(/^cannot read alarms/),
    });
    const missing = await withCloudWatch(quiet().slice(1), (client) => judge(client, virtualClock(90).clock));
    expect(missing.detail).toBe(
      'cannot read alarms: critical alarm(s) not deployed (expected from the templates): miko-staging-critical-site-down',
    );
    const twoMissing = await withCloudWatch(quiet().slice(2), (client) => judge(client, virtualClock(90).clock));
    expect(twoMissing.detail).toBe(
      'cannot read alarms: critical alarm(s) not deployed (expected from the templates): miko-staging-critical-site-down, miko-staging-critical-error-rate-5xx',
    );
    expect(exitCodeFor([pass('site', 'ok'), missing])).toBe(EXIT.couldNotCheck);
    expect(exitCodeFor([fail('site', 'down'), missing])).toBe(EXIT.releaseBad);
  });

  it('after a rollback, waits for the critical alarms to clear, bounded', async () => {
    const alarms = quiet();
    set(alarms, 'miko-staging-critical-site-down', 'ALARM', at(10));
    const time = virtualClock(90, [[140, () => set(alarms, 'miko-staging-critical-site-down', 'OK', at(135))]]);
    const cleared = await withCloudWatch(alarms, (client) =>
      waitForAlarmsToClear(client, SELECTION, { timeoutSeconds: 600, pollSeconds: 10, clock: time.clock }),
    );
    expect(cleared).toEqual({
      name: 'critical alarms cleared',
      ok: true,
      detail: 'no release-related critical alarm in ALARM (after 50 s)',
    });

    set(alarms, 'miko-staging-critical-site-down', 'ALARM', at(10));
    const stuck = virtualClock(90);
    const result = await withCloudWatch(alarms, (client) =>
      waitForAlarmsToClear(client, SELECTION, { timeoutSeconds: 120, pollSeconds: 10, clock: stuck.clock }),
    );
    expect(result).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/^still in ALARM after 120 s: miko-staging-critical-site-down/),
    });
    expect(stuck.elapsed()).toBe(120);
  });

  it('after a rollback, names every alarm still in ALARM, and waits exactly the timeout when it is not a whole number of polls', async () => {
    const alarms = quiet();
    set(alarms, 'miko-staging-critical-site-down', 'ALARM', at(10), 'Threshold Crossed: 1 datapoint [1.0] >= 1.0');
    set(alarms, 'miko-staging-critical-error-rate-5xx', 'ALARM', at(20));
    set(alarms, 'miko-staging-critical-database-check-failing', 'ALARM', at(20));
    const time = virtualClock(90);
    const result = await withCloudWatch(alarms, (client) =>
      waitForAlarmsToClear(client, SELECTION, { timeoutSeconds: 25, pollSeconds: 10, clock: time.clock }),
    );
    expect(result).toEqual({
      name: 'critical alarms cleared',
      ok: false,
      detail:
        'still in ALARM after 25 s: miko-staging-critical-site-down (Threshold Crossed: 1 datapoint [1.0] >= 1.0); miko-staging-critical-error-rate-5xx. See docs/runbooks/site-down.md',
    });
    expect(time.sleeps).toEqual([10_000, 10_000, 5_000]);
  });

  it('says "could not check", with the fix, when there are no AWS credentials, while judging and after a rollback', async () => {
    const noCredentials = new CloudWatchClient({
      maxAttempts: 1,
      endpoint: 'http://127.0.0.1:9',
      credentials: async () => {
        throw Object.assign(new Error('Could not load credentials from any providers'), {
          name: 'CredentialsProviderError',
        });
      },
    });
    const fix =
      /^cannot read alarms: no AWS credentials\. Fix: `export AWS_PROFILE=.*--skip-alarms to check the site only\.$/;
    expect(await judge(noCredentials, virtualClock(90).clock)).toEqual({
      name: 'critical alarms',
      ok: false,
      unknown: true,
      detail: expect.stringMatching(fix),
    });
    const options = { timeoutSeconds: 60, pollSeconds: 10, clock: virtualClock(90).clock };
    expect(await waitForAlarmsToClear(noCredentials, SELECTION, options)).toEqual({
      name: 'critical alarms cleared',
      ok: false,
      unknown: true,
      detail: expect.stringMatching(fix),
    });
    process.env.AWS_ENDPOINT_URL_CLOUDWATCH = 'http://127.0.0.1:9';
    const unreachable = await waitForAlarmsToClear(new CloudWatchClient({ maxAttempts: 1 }), SELECTION, options);
    expect(unreachable).toMatchObject({ ok: false, unknown: true });
    expect(unreachable.detail).toMatch(/^cannot read alarms: /);
    expect(unreachable.detail).not.toMatch(/no AWS credentials/);
  });

  it('reads up to 20 pages of alarms per call and answers "could not check" from an endpoint that pages on', async () => {
    // The stand-in answers two alarms a page: 40 alarms are 20 pages, 41 need a 21st.
    const many = (n: number) => Array.from({ length: n }, (_, i) => `miko-staging-critical-check-${i}`);
    const run = (names: string[]) =>
      withCloudWatch(
        names.map((name) => ({ AlarmName: name, StateValue: 'OK' as const, StateTransitionedTimestamp: at(-60) })),
        (client) =>
          judgeAlarms(
            client,
            { critical: names.map((name) => ({ name, releaseRelated: true })) },
            { since: SINCE, settleSeconds: 0, pollSeconds: 10, clock: virtualClock(90).clock },
          ),
      );
    expect(await run(many(40))).toMatchObject({
      ok: true,
      detail: expect.stringMatching(/^40 critical alarm\(s\) watched/),
    });
    expect(await run(many(41))).toEqual({
      name: 'critical alarms',
      ok: false,
      unknown: true,
      detail: 'cannot read alarms: DescribeAlarms still paging after 20 pages',
    });
  });
});

describe('the real clock', () => {
  it('sleeps for real', async () => {
    const before = realClock.now();
    await realClock.sleep(40);
    expect(realClock.now() - before).toBeGreaterThanOrEqual(35);
  });
});

describe('the Cache-Control rules per file class, and how a result reads', () => {
  it('wants no-cache or no-store for HTML and the per-release JSON', () => {
    expect(mustRevalidate('no-cache')).toBeUndefined();
    expect(mustRevalidate('private, No-Store')).toBeUndefined();
    expect(mustRevalidate('max-age=0, must-revalidate')).toBe('expected no-cache, got "max-age=0, must-revalidate"');
    expect(mustRevalidate(null)).toBe('expected no-cache, got null');
  });

  it('wants exactly a year and immutable for hashed assets, in any order, case or quoting, and nothing more', () => {
    expect(immutableForAYear(IMMUTABLE_ASSET_CACHE_CONTROL)).toBeUndefined();
    expect(immutableForAYear('Immutable,  max-age="31536000" ,public')).toBeUndefined();
    for (const header of [
      'public, max-age=31536000',
      'public, max-age=3153600, immutable',
      'public, max-age=31536000, immutable, no-transform',
      null,
    ])
      expect(immutableForAYear(header)).toBe(
        `expected "public, max-age=31536000, immutable", got ${JSON.stringify(header)}`,
      );
  });

  it('wants un-hashed public files cached a day at most, never immutable', () => {
    expect(shortLived('public, max-age=86400')).toBeUndefined();
    expect(shortLived('no-store')).toBeUndefined();
    expect(shortLived('no-cache')).toBeUndefined();
    expect(shortLived('public, max-age=86401')).toBe('max-age=86401 is longer than 86400 s for an un-hashed file');
    expect(shortLived('public, max-age=60, immutable')).toBe(
      'un-hashed file marked immutable ("public, max-age=60, immutable")',
    );
    expect(shortLived('public')).toBe('expected a short max-age, got "public"');
    expect(shortLived('max-age=soon')).toBe('expected a short max-age, got "max-age=soon"');
    expect(parseCacheControl(' , max-age=5,,')).toEqual(new Map([['max-age', '5']]));
    expect(parseCacheControl(null)).toEqual(new Map());
  });

  it('strips only the quotes around a directive value', () => {
    expect(parseCacheControl('max-age="60", no-cache="Set-Cookie", ext="say "hi""')).toEqual(
      new Map([
        ['max-age', '60'],
        ['no-cache', 'Set-Cookie'],
        ['ext', 'say "hi"'],
      ]),
    );
  });

  it('prints PASS, FAIL or UNKNOWN with the name and what was seen', () => {
    expect(formatResult(pass('deep link', 'answered 200'))).toBe('PASS  deep link: answered 200');
    expect(formatResult(fail('health', '/health answered 503'))).toBe('FAIL  health: /health answered 503');
    expect(formatResult(couldNotCheck('critical alarms', 'no credentials'))).toBe(
      'UNKNOWN  critical alarms: no credentials',
    );
    expect(exitCodeFor([])).toBe(EXIT.good);
  });
});
