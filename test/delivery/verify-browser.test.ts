/**
 * verify's trusted judgement of a release's JavaScript: the app loaded in Chromium (Debian's, as CI runs it)
 * against a local site. A release that throws on load fails verify with "release bad" (the workflow rolls back)
 * at once, without waiting out the alarms' settle window; a good one passes.
 */
import { verify } from '../../scripts/verify';
import { alarmSelection, expectedHeaders } from '../../scripts/verify/assembly';
import { browserCheckTimeToDetect } from '../../scripts/verify/browser-check';
import { EXIT, exitCodeFor } from '../../scripts/verify/check';
import { CHROMIUM_LAUNCH_S, PAGE_LOAD_TIMEOUT_MS, PAGE_SETTLE_MS, pageErrorsOf } from '../../scripts/lib/page-errors';
import { FakeAlarm, startFakeCloudWatch } from '../../tools/stand-ins/cloudwatch';
import { LIVE_RELEASE, SiteFaults, startFakeSite } from '../../tools/stand-ins/site';
import { testAssemblyDir } from '../support/cached-assembly';

const real = testAssemblyDir();
const expected = expectedHeaders(real, 'Staging');
if ('error' in expected) throw new Error(expected.error);
const headers = expected;

async function withSite<T>(faults: SiteFaults, run: (url: string) => Promise<T>): Promise<T> {
  const site = await startFakeSite(headers.values, faults);
  try {
    return await run(site.url);
  } finally {
    await site.close();
  }
}

it('pageErrorsOf returns what the page threw, and nothing for a page that works', async () => {
  const thrown = await withSite({ throwOnLoad: 'Cannot read properties of undefined' }, (url) =>
    pageErrorsOf(url, { settleMs: 200 }),
  );
  expect(thrown).toEqual([{ kind: 'uncaught', message: 'Cannot read properties of undefined' }]);
  expect(await withSite({}, (url) => pageErrorsOf(url, { settleMs: 200 }))).toEqual([]);
  const gone = await withSite({}, async (url) => url);
  expect(await pageErrorsOf(gone, { settleMs: 0 })).toEqual([
    { kind: 'load', message: expect.stringMatching(/^page\.goto: net::ERR_CONNECTION_REFUSED/) },
  ]);
});

describe('verify after a deploy (--since): the app in Chromium', () => {
  const since = new Date('2026-11-22T03:00:00Z');
  let cloudwatch: Awaited<ReturnType<typeof startFakeCloudWatch>>;
  let now = 0;
  const clock = {
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
    },
  };
  beforeAll(async () => {
    const alarms: FakeAlarm[] = alarmSelection(real, 'Staging').critical.map((c) => ({
      AlarmName: c.name,
      StateValue: 'OK',
      StateTransitionedTimestamp: since.getTime() / 1000 - 60,
    }));
    cloudwatch = await startFakeCloudWatch(alarms);
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: 'AKIDLOCALTEST',
      AWS_SECRET_ACCESS_KEY: 'local-test-secret',
      AWS_ENDPOINT_URL_CLOUDWATCH: cloudwatch.url,
    });
  });
  afterAll(async () => {
    delete process.env.AWS_ENDPOINT_URL_CLOUDWATCH;
    await cloudwatch.close();
  });

  const judge = (faults: SiteFaults, lines: string[]) =>
    withSite(faults, (url) => {
      now = since.getTime() + 60_000;
      return verify(
        {
          env: 'staging',
          url,
          release: LIVE_RELEASE,
          alarms: { kind: 'judge', since },
          browser: true,
          assemblyDir: real,
          region: 'us-east-1',
          clock,
        },
        (line) => lines.push(line),
      );
    });

  it('fails a release whose JavaScript throws on load, at once: release bad, no settle window', async () => {
    const lines: string[] = [];
    const started = Date.now();
    const results = await judge({ throwOnLoad: 'boom in release' }, lines);
    const seconds = (Date.now() - started) / 1000;
    expect(exitCodeFor(results)).toBe(EXIT.releaseBad);
    expect(lines).toContainEqual(
      expect.stringMatching(/^FAIL {2}app in Chromium: 1 page error\(s\) .*uncaught: boom in release$/),
    );
    expect(lines).toContain('NOTE  not watching the alarms: a check above already found the release bad');
    expect(lines.some((l) => l.startsWith('watching the critical alarms'))).toBe(false);
    // The model npm run ttd prints bounds what was measured here, and is within the one-minute target.
    expect(seconds).toBeLessThan(CHROMIUM_LAUNCH_S + (PAGE_LOAD_TIMEOUT_MS + PAGE_SETTLE_MS) / 1000);
    expect(browserCheckTimeToDetect().seconds).toBeLessThanOrEqual(60);
  });

  it('passes a release whose app loads without errors, then watches the alarms', async () => {
    const lines: string[] = [];
    const results = await judge({}, lines);
    expect(exitCodeFor(results)).toBe(EXIT.good);
    expect(lines).toContainEqual(expect.stringMatching(/^PASS {2}app in Chromium: loaded .* no page error$/));
    expect(lines.some((l) => l.startsWith('watching the critical alarms'))).toBe(true);
  });
});
