/**
 * verify's judgement, fast and in process: the site checks against a local site with one fault at a time, and the
 * critical alarms judged against a local CloudWatch on a virtual clock. The whole command is in verify.test.ts.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { AlarmSelection, Clock, judgeAlarms, waitForAlarmsToClear } from '../../scripts/verify/alarm-check';
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
import { LIVE_RELEASE, SiteFaults } from '../../tools/stand-ins/site';
import { failedChecks, HEADERS, withSite } from '../support/verify-site';
import { withLowRetryJitter } from '../support/retry-jitter';

describe('verify against local sites', () => {
  it('passes a site that gets everything right', async () => {
    const results = await withSite({}, (url) => checkSite(url, { headers: HEADERS, release: LIVE_RELEASE }));
    expect(failedChecks(results)).toEqual([]);
    expect(results.map((r) => r.name)).toEqual(
      expect.arrayContaining([
        'header Strict-Transport-Security',
        'header Server removed',
        'security headers on every file class',
        'cache index.html',
        'cache hashed asset',
        'cache config.json',
        'cache version.json',
        'cache favicon',
        'cache robots.txt',
        'deep link',
        'missing asset',
        'release',
        'health',
      ]),
    );
  });

  it("passes a build that has no favicon or robots.txt (they are the app's choice), saying so", async () => {
    const results = await withSite({ withoutPublicFiles: true }, (url) =>
      checkSite(url, { headers: HEADERS, release: LIVE_RELEASE }),
    );
    expect(failedChecks(results)).toEqual([]);
    expect(results.find((r) => r.name === 'cache robots.txt')).toMatchObject({
      ok: true,
      detail: '/robots.txt: not in this build (404)',
    });
    expect(results.find((r) => r.name === 'cache favicon')).toMatchObject({
      ok: true,
      detail: '/favicon.ico: not in this build (404)',
    });
  });

  it.each<[string, SiteFaults, string[], RegExp]>([
    [
      'a missing header',
      { dropHeader: 'Content-Security-Policy' },
      ['header Content-Security-Policy', 'security headers on every file class'],
      /missing on \//,
    ],
    [
      'a weakened header',
      { overrideHeader: { name: 'Strict-Transport-Security', value: 'max-age=300' } },
      ['header Strict-Transport-Security', 'security headers on every file class'],
      /weakened or changed on \/: expected "max-age=63072000; includeSubDomains; preload", got "max-age=300"/,
    ],
    [
      'a header that should be stripped',
      { overrideHeader: { name: 'Server', value: 'AmazonS3' } },
      ['header Server removed'],
      /present: "AmazonS3"/,
    ],
    [
      'a cached index.html',
      { indexCacheControl: 'public, max-age=86400' },
      ['cache index.html', 'deep link'],
      /expected no-cache, got "public, max-age=86400"/,
    ],
    [
      'SPA fallback serving HTML for a missing asset',
      { spaFallbackForMissingAssets: true },
      ['missing asset'],
      /answered 200 with HTML \(SPA fallback\)/,
    ],
    [
      'the wrong release',
      { release: 'previous-release' },
      ['release', 'health'],
      /live release is "previous-release", expected "2026-11-22T0300Z-abc1234"/,
    ],
    ['an unhealthy /health', { healthStatus: 503 }, ['health'], /\/health answered 503; expected 200/],
  ])('catches %s and names the check', async (_label, faults, expectedFailures, message) => {
    const results = await withSite(faults, (url) => checkSite(url, { headers: HEADERS, release: LIVE_RELEASE }));
    expect(failedChecks(results)).toEqual([...expectedFailures].sort());
    expect(results.find((r) => r.name === expectedFailures[0])!.detail).toMatch(message);
  });

  it('fails the header check, not passes it, when the expected headers are unknown', async () => {
    const results = await withSite({}, (url) =>
      checkSite(url, { headers: { error: 'the Site stack has no AWS::CloudFront::ResponseHeadersPolicy' } }),
    );
    expect(failedChecks(results)).toEqual(['security headers']);
    expect(results.find((r) => r.name === 'security headers')!.detail).toMatch(
      /no AWS::CloudFront::ResponseHeadersPolicy/,
    );
  });

  it('says "could not check", not "release bad", for a site that does not answer at all', async () => {
    const results = await checkSite('http://127.0.0.1:9', { headers: HEADERS });
    expect(results).toEqual([expect.objectContaining({ name: 'site reachable', ok: false, unknown: true })]);
    expect(results[0].detail).toMatch(/^GET http:\/\/127\.0\.0\.1:9\/ failed: fetch failed.*Fix: .*site-down\.md/);
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
      expect(
        requests
          .filter((r) => r.AlarmNamePrefix === 'Staging-')
          .map((r) => r.NextToken)
          .slice(0, 1),
      ).toEqual([undefined]);
      expect(requests.length).toBeGreaterThan(19);
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
    const result = await withCloudWatch(alarms, (client) => judge(client, time.clock));
    expect(result).toMatchObject({
      ok: false,
      detail:
        'release-related critical alarm fired 130 s into the 180 s settle window: miko-staging-critical-site-down (Threshold Crossed: 1 datapoint [1.0] >= 1.0)',
    });
    expect(result.unknown).toBeUndefined();
    expect(exitCodeFor([result])).toBe(EXIT.releaseBad);
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
