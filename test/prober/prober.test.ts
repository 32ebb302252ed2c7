/**
 * The prober against a real local site that goes down and comes back, publishing through the real CloudWatch
 * client to a local stand-in that records every datapoint. Slots are shortened (400 ms) so a "minute" fits a test,
 * and each window runs on a clock shifted so its first slot starts at once (real speed, no wait for the wall clock).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { hashedAssetPath } from '../../lambda/prober/probes';
import { resetProberState, RunDependencies, runWindow, TARGET_EVERY_SLOTS } from '../../lambda/prober/run';
import { addBuildMarker } from '../../lib/site/release-content';
import { FIXTURE_APP_DIST } from '../fixtures/real-app/sources';
import {
  DUMMY_AWS_ENV,
  LocalServer,
  RecordedDatum,
  startCloudWatch,
  startLocalServer,
} from '../../tools/stand-ins/aws-endpoints';
import { withLowRetryJitter } from '../support/retry-jitter';

/** The fixture build's index.html as the deploy releases it (with the build marker). */
const INDEX_HTML = addBuildMarker(readFileSync(join(FIXTURE_APP_DIST, 'index.html'), 'utf8'), 'r1');
const ASSET = hashedAssetPath(INDEX_HTML)!;
const SLOT = 400;
const TIMEOUT = 250;

type Mode = 'up' | 'down' | 'hung' | 'no-marker' | 'missing-asset';
/** How the site answers: fixed, or decided per request (by the slot it belongs to). */
let mode: Mode | (() => Mode) = 'up';
let failNextRequests = 0;
/** CloudWatch answers to come before the next successes: 500 InternalServiceFault, 400 Throttling. */
const cloudWatchFaults = { fail: 0, throttle: 0 };
const requested: string[] = [];
let site: LocalServer;
let cloudWatch: Awaited<ReturnType<typeof startCloudWatch>>;
let client: CloudWatchClient;

beforeAll(async () => {
  site = await startLocalServer((req, res) => {
    // The canary's probes carry its bucket cookie (probes.ts CANARY_PROBE_HEADERS).
    requested.push(`${req.method} ${req.url ?? ''}${req.headers.cookie === 'miko-bucket=0' ? ' (canary)' : ''}`);
    if (failNextRequests > 0) {
      failNextRequests--;
      res.writeHead(502).end('bad gateway');
      return;
    }
    const current = typeof mode === 'function' ? mode() : mode;
    if (current === 'hung') return;
    if (current === 'down') return void res.writeHead(503).end('down');
    if (req.url === '/')
      return void res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(
          current === 'no-marker'
            ? '<html><body>oops</body></html>'
            : current === 'missing-asset'
              ? INDEX_HTML.replace(ASSET, '/assets/index-deadbeef.js')
              : INDEX_HTML,
        );
    if (req.url === ASSET) return void res.writeHead(200).end('console.log(1)');
    if (req.url?.startsWith('/assets/')) return void res.writeHead(404).end();
    if (req.url === '/health') return void res.writeHead(200).end('{"status":"healthy"}');
    if (req.url === '/health/db' || req.url === '/health/apis') {
      return void res.writeHead(200).end(
        JSON.stringify({
          status: 'healthy',
          release: 'r',
          checks: { 'supabase-rest': { status: 'pass', latencyMs: 12 } },
        }),
      );
    }
    res.writeHead(404).end();
  });
  cloudWatch = await startCloudWatch({
    failNext: () => cloudWatchFaults.fail > 0 && cloudWatchFaults.fail-- > 0,
    throttleNext: () => cloudWatchFaults.throttle > 0 && cloudWatchFaults.throttle-- > 0,
  });
  client = new CloudWatchClient({
    endpoint: cloudWatch.url,
    region: DUMMY_AWS_ENV.AWS_REGION,
    credentials: { accessKeyId: DUMMY_AWS_ENV.AWS_ACCESS_KEY_ID, secretAccessKey: DUMMY_AWS_ENV.AWS_SECRET_ACCESS_KEY },
  });
});

afterAll(async () => {
  client.destroy();
  await site.close();
  await cloudWatch.close();
});

beforeEach(() => {
  mode = 'up';
  failNextRequests = 0;
  Object.assign(cloudWatchFaults, { fail: 0, throttle: 0 });
  requested.length = 0;
  cloudWatch.datapoints.length = 0;
  resetProberState();
});

const settings = () => ({ environment: 'staging', siteUrl: site.url, slotMs: SLOT, timeoutMs: TIMEOUT });
const nextSlot = () => Math.ceil((Date.now() + 50) / SLOT) * SLOT;

/**
 * A clock at real speed, shifted so that a slot on a multiple of `everySlots` slots starts now: the window's
 * slots keep their real spacing, and a test does not wait for the wall clock to reach a slot.
 */
function slotClock(everySlots = 1, slotMs = SLOT): { start: number; now: () => number } {
  const real = Date.now();
  const start = Math.ceil(real / (everySlots * slotMs)) * everySlots * slotMs;
  return { start, now: () => Date.now() + start - real };
}

/** Runs a window of `slots` slots on a slotClock. */
async function runSlots(slots: number, deps: Partial<RunDependencies> = {}, clock = slotClock(), slotMs = SLOT) {
  return runWindow({ ...settings(), slotMs, windowMs: slots * slotMs }, clock.start, {
    cloudWatch: client,
    log: () => undefined,
    now: clock.now,
    ...deps,
  });
}

function series(name: string, target: string): RecordedDatum[] {
  return cloudWatch.datapoints
    .filter((d) => d.name === name && d.dimensions.Target === target)
    .sort((a, b) => a.timestampMs - b.timestampMs);
}

describe('synthetic prober', () => {
  it('publishes failure per target and the page latency as high-resolution datapoints on wall-clock slots, nothing else billed', async () => {
    const result = await runSlots(4);
    expect(result).toEqual({ slots: 4, publishFailures: 0 });
    for (const d of cloudWatch.datapoints) {
      expect(d).toMatchObject({ namespace: 'MiKO/Synthetics', storageResolution: 1 });
      expect(d.dimensions.Environment).toBe('staging');
      expect(d.timestampMs % SLOT).toBe(0);
    }
    expect(series('Failure', 'site').map((d) => d.value)).toEqual([0, 0, 0, 0]);
    expect(series('Failure', 'asset').length).toBe(4);
    expect(series('Latency', 'site').every((d) => d.unit === 'Milliseconds' && d.value >= 0)).toBe(true);
    // Every metric is billed: only Failure, the page's Latency and the heartbeat are published.
    const published = new Set(cloudWatch.datapoints.map((d) => `${d.name}/${d.dimensions.Target ?? ''}`));
    for (const name of published) expect(name).toMatch(/^(Failure\/.+|Latency\/site|Heartbeat\/)$/);
    for (const expected of ['Failure/asset', 'Failure/health', 'Failure/site', 'Heartbeat/', 'Latency/site'])
      expect(published.has(expected)).toBe(true);
    // The asset probed is the one the live HTML names.
    expect(requested).toContain(`HEAD ${ASSET}`);
    // No canary probe unless the environment deploys canaries (settings.canary).
    expect(series('Failure', 'canary')).toEqual([]);
    // /health every other slot; a heartbeat every slot.
    expect(series('Failure', 'health').length).toBe(2);
    expect(cloudWatch.datapoints.filter((d) => d.name === 'Heartbeat').length).toBe(4);
  });

  it('counts the slots while the site is down as failures and recovers when it is back', async () => {
    // Down in the 2nd and 3rd slots, up from the 4th; a request belongs to the slot it arrives in (timers may fire
    // a few ms early, hence the 50 ms). Slots of a second, so a probe on a loaded machine stays in its own slot.
    const slotMs = 1_000;
    const clock = slotClock(1, slotMs);
    mode = () => ([1, 2].includes(Math.floor((clock.now() - clock.start + 50) / slotMs)) ? 'down' : 'up');
    await runSlots(5, {}, clock, slotMs);
    expect(series('Failure', 'site').map((d) => d.value)).toEqual([0, 1, 1, 0, 0]);
    expect(series('Failure', 'asset').map((d) => d.value)).toEqual([0, 1, 1, 0, 0]);
  });

  it('bounds a hung site by the probe timeout (two attempts) and counts it failed', async () => {
    mode = 'hung';
    const started = Date.now();
    await runSlots(2);
    expect(Date.now() - started).toBeLessThan(2 * SLOT + 2 * TIMEOUT + 300);
    expect(series('Failure', 'site').map((d) => d.value)).toEqual([1, 1]);
    expect(Math.min(...series('Latency', 'site').map((d) => d.value))).toBeGreaterThanOrEqual(TIMEOUT - 5);
  });

  it('probes the canary’s page and the asset it names with the canary’s bucket, failing the target when either fails', async () => {
    const canarySettings = { ...settings(), canary: true, windowMs: 2 * SLOT };
    const clock = slotClock();
    await runWindow(canarySettings, clock.start, { cloudWatch: client, log: () => undefined, now: clock.now });
    expect(series('Failure', 'canary').map((d) => d.value)).toEqual([0, 0]);
    expect(requested.filter((r) => r === 'GET / (canary)')).toHaveLength(2);
    expect(requested.filter((r) => r === `HEAD ${ASSET} (canary)`)).toHaveLength(2);
    mode = 'missing-asset';
    cloudWatch.datapoints.length = 0;
    const later = slotClock();
    await runWindow(canarySettings, later.start, { cloudWatch: client, log: () => undefined, now: later.now });
    expect(series('Failure', 'canary').map((d) => d.value)).toEqual([1, 1]);
  });

  it('retries a failed probe once before counting it', async () => {
    failNextRequests = 1;
    await runSlots(1);
    expect(series('Failure', 'site').map((d) => d.value)).toEqual([0]);
    expect(requested.filter((r) => r === 'GET /').length).toBe(2);
  });

  it('fails the site when the HTML lacks the build marker (an SPA rewrite hiding a broken deploy)', async () => {
    mode = 'no-marker';
    await runSlots(1);
    expect(series('Failure', 'site').map((d) => d.value)).toEqual([1]);
  });

  it('fails the asset when the live HTML names a file the release does not serve, while / still passes', async () => {
    mode = 'missing-asset';
    await runSlots(2);
    expect(series('Failure', 'site').map((d) => d.value)).toEqual([0, 0]);
    expect(series('Failure', 'asset').map((d) => d.value)).toEqual([1, 1]);
    expect(requested).toContain('HEAD /assets/index-deadbeef.js');
  });

  it("logs each dependency's status and latency from /health/db and /health/apis (one JSON line per probe, no metric)", async () => {
    const lines: Array<Record<string, any>> = [];
    // The dependencies are probed on slots that are multiples of 12: the window is one such slot.
    await runSlots(1, { log: (l) => void lines.push(l) }, slotClock(TARGET_EVERY_SLOTS['health-db']));
    const db = lines.find((l) => l.event === 'probe' && l.target === 'health-db');
    expect(db).toMatchObject({ ok: true, dependencies: [{ check: 'supabase-rest', up: true }] });
    expect(typeof db!.dependencies[0].latencyMs).toBe('number');
    expect(cloudWatch.datapoints.filter((d) => d.dimensions.Check !== undefined)).toEqual([]);
  });

  it('keeps probing when CloudWatch refuses a publish, and says so', async () => {
    const broken = new CloudWatchClient({
      endpoint: site.url,
      region: 'us-east-1',
      maxAttempts: 1,
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });
    const lines: Array<Record<string, unknown>> = [];
    const result = await runSlots(2, { cloudWatch: broken, log: (l) => void lines.push(l) });
    broken.destroy();
    expect(result).toEqual({ slots: 2, publishFailures: 2 });
    expect(lines.filter((l) => l.event === 'publish-failed')).toHaveLength(2);
  });
});

describe('the prober against a CloudWatch that fails the way CloudWatch does', () => {
  it('publishes through a throttled call and a 500: the SDK retries (3 attempts), nothing is lost', () =>
    withLowRetryJitter(async () => {
      Object.assign(cloudWatchFaults, { fail: 1, throttle: 1 });
      const result = await runSlots(1);
      expect(result).toEqual({ slots: 1, publishFailures: 0 });
      expect(cloudWatchFaults).toEqual({ fail: 0, throttle: 0 });
      expect(cloudWatch.datapoints.filter((d) => d.name === 'Heartbeat')).toHaveLength(1);
    }));

  it("counts a publish that stays throttled, logs the error's name only, and keeps probing", () =>
    withLowRetryJitter(async () => {
      cloudWatchFaults.throttle = 1_000;
      const lines: Array<Record<string, unknown>> = [];
      const result = await runSlots(2, { log: (l) => void lines.push(l) });
      expect(result).toEqual({ slots: 2, publishFailures: 2 });
      // Three attempts per publish, then the heartbeat's absence is what pages (its alarm), not this log line.
      expect(1_000 - cloudWatchFaults.throttle).toBe(6);
      expect(lines.filter((l) => l.event === 'publish-failed').map((l) => l.error)).toEqual([
        'Throttling',
        'Throttling',
      ]);
      expect(cloudWatch.datapoints).toEqual([]);
    }));
});

describe('prober handler', () => {
  function loadHandler(windowMs: number) {
    process.env.MIKO_PROBER_SETTINGS = JSON.stringify({ ...settings(), windowMs });
    Object.assign(process.env, DUMMY_AWS_ENV, { AWS_ENDPOINT_URL_CLOUDWATCH: cloudWatch.url });
    let handler!: typeof import('../../lambda/prober/handler').handler;
    jest.isolateModules(() => {
      handler = require('../../lambda/prober/handler').handler;
    });
    return handler;
  }

  it("owns the window starting at the event's scheduled time and publishes to CloudWatch", async () => {
    const handler = loadHandler(2 * SLOT);
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const scheduled = nextSlot();
    const result = await handler(
      { time: new Date(scheduled).toISOString() },
      { getRemainingTimeInMillis: () => 10_000 },
    );
    expect(result).toEqual({ slots: 2, publishFailures: 0 });
    expect(series('Failure', 'site').map((d) => d.timestampMs)).toEqual([scheduled, scheduled + SLOT]);
  });

  it('schedules no slot it could not finish before the Lambda times out', async () => {
    const handler = loadHandler(2 * SLOT);
    const result = await handler({ time: new Date(nextSlot()).toISOString() }, { getRemainingTimeInMillis: () => 500 });
    expect(result.slots).toBe(0);
  });
});
