/**
 * The prober against a real local site that goes down and comes back, publishing through the real CloudWatch
 * client to a local stand-in that records every datapoint. Slots are shortened (400 ms) so a "minute" fits a test.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { hashedAssetPath } from '../../lambda/prober/probes';
import { resetProberState, runWindow } from '../../lambda/prober/run';
import { addBuildMarker } from '../../lib/site/release-content';
import { FIXTURE_APP_DIST } from '../fixtures/real-app/sources';
import { DUMMY_AWS_ENV, LocalServer, RecordedDatum, startCloudWatch, startLocalServer } from '../support/local-server';

/** The fixture build's index.html as the deploy releases it (with the build marker). */
const INDEX_HTML = addBuildMarker(readFileSync(join(FIXTURE_APP_DIST, 'index.html'), 'utf8'), 'r1');
const ASSET = hashedAssetPath(INDEX_HTML)!;
const SLOT = 400;
const TIMEOUT = 250;

type Mode = 'up' | 'down' | 'hung' | 'no-marker' | 'missing-asset';
let mode: Mode = 'up';
let failNextRequests = 0;
const requested: string[] = [];
let site: LocalServer;
let cloudWatch: Awaited<ReturnType<typeof startCloudWatch>>;
let client: CloudWatchClient;

beforeAll(async () => {
  site = await startLocalServer((req, res) => {
    requested.push(`${req.method} ${req.url ?? ''}`);
    if (failNextRequests > 0) {
      failNextRequests--;
      res.writeHead(502).end('bad gateway');
      return;
    }
    if (mode === 'hung') return;
    if (mode === 'down') return void res.writeHead(503).end('down');
    if (req.url === '/') return void res.writeHead(200, { 'content-type': 'text/html' }).end(mode === 'no-marker' ? '<html><body>oops</body></html>' : mode === 'missing-asset' ? INDEX_HTML.replace(ASSET, '/assets/index-deadbeef.js') : INDEX_HTML);
    if (req.url === ASSET) return void res.writeHead(200).end('console.log(1)');
    if (req.url?.startsWith('/assets/')) return void res.writeHead(404).end();
    if (req.url === '/health') return void res.writeHead(200).end('{"status":"healthy"}');
    if (req.url === '/health/db' || req.url === '/health/apis') {
      return void res.writeHead(200).end(JSON.stringify({ status: 'healthy', release: 'r', checks: { 'supabase-rest': { status: 'pass', latencyMs: 12 } } }));
    }
    res.writeHead(404).end();
  });
  cloudWatch = await startCloudWatch();
  client = new CloudWatchClient({
    endpoint: cloudWatch.url, region: DUMMY_AWS_ENV.AWS_REGION,
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
  requested.length = 0;
  cloudWatch.datapoints.length = 0;
  resetProberState();
});

const settings = () => ({ environment: 'staging', siteUrl: site.url, slotMs: SLOT, timeoutMs: TIMEOUT });
const nextSlot = () => Math.ceil((Date.now() + 50) / SLOT) * SLOT;

function series(name: string, target: string): RecordedDatum[] {
  return cloudWatch.datapoints.filter((d) => d.name === name && d.dimensions.Target === target).sort((a, b) => a.timestampMs - b.timestampMs);
}

describe('synthetic prober', () => {
  it('publishes success, failure and latency per target as high-resolution datapoints on wall-clock slots', async () => {
    const start = nextSlot();
    const result = await runWindow({ ...settings(), windowMs: 6 * SLOT }, start, { cloudWatch: client, log: () => undefined });
    expect(result).toEqual({ slots: 6, publishFailures: 0 });
    for (const d of cloudWatch.datapoints) {
      expect(d).toMatchObject({ namespace: 'MiKO/Synthetics', storageResolution: 1 });
      expect(d.dimensions.Environment).toBe('staging');
      expect(d.timestampMs % SLOT).toBe(0);
    }
    expect(series('Success', 'site').map((d) => d.value)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(series('Failure', 'site').map((d) => d.value)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(series('Success', 'asset').length).toBe(6);
    expect(series('Latency', 'site').every((d) => d.unit === 'Milliseconds' && d.value >= 0)).toBe(true);
    // The asset probed is the one the live HTML names.
    expect(requested).toContain(`HEAD ${ASSET}`);
    // /health every other slot; a heartbeat every slot.
    expect(series('Success', 'health').length).toBe(3);
    expect(cloudWatch.datapoints.filter((d) => d.name === 'Heartbeat').length).toBe(6);
  });

  it('counts the slots while the site is down as failures and recovers when it is back', async () => {
    const start = nextSlot();
    // Down from the 3rd slot to the 6th, up again from the 7th.
    const downAt = setTimeout(() => { mode = 'down'; }, start - Date.now() + 2 * SLOT - 80);
    const upAt = setTimeout(() => { mode = 'up'; }, start - Date.now() + 6 * SLOT - 80);
    await runWindow({ ...settings(), windowMs: 9 * SLOT }, start, { cloudWatch: client, log: () => undefined });
    clearTimeout(downAt);
    clearTimeout(upAt);
    expect(series('Failure', 'site').map((d) => d.value)).toEqual([0, 0, 1, 1, 1, 1, 0, 0, 0]);
    expect(series('Success', 'site').map((d) => d.value)).toEqual([1, 1, 0, 0, 0, 0, 1, 1, 1]);
    expect(series('Failure', 'asset').map((d) => d.value)).toEqual([0, 0, 1, 1, 1, 1, 0, 0, 0]);
  });

  it('bounds a hung site by the probe timeout (two attempts) and counts it failed', async () => {
    mode = 'hung';
    const started = Date.now();
    const start = nextSlot();
    await runWindow({ ...settings(), windowMs: 2 * SLOT }, start, { cloudWatch: client, log: () => undefined });
    expect(Date.now() - started).toBeLessThan(start - started + 2 * SLOT + 2 * TIMEOUT + 300);
    expect(series('Failure', 'site').map((d) => d.value)).toEqual([1, 1]);
    expect(Math.min(...series('Latency', 'site').map((d) => d.value))).toBeGreaterThanOrEqual(TIMEOUT - 5);
  });

  it('retries a failed probe once before counting it', async () => {
    failNextRequests = 1;
    await runWindow({ ...settings(), windowMs: SLOT }, nextSlot(), { cloudWatch: client, log: () => undefined });
    expect(series('Success', 'site').map((d) => d.value)).toEqual([1]);
    expect(requested.filter((r) => r === 'GET /').length).toBe(2);
  });

  it('fails the site when the HTML lacks the build marker (an SPA rewrite hiding a broken deploy)', async () => {
    mode = 'no-marker';
    await runWindow({ ...settings(), windowMs: SLOT }, nextSlot(), { cloudWatch: client, log: () => undefined });
    expect(series('Failure', 'site').map((d) => d.value)).toEqual([1]);
  });

  it('fails the asset when the live HTML names a file the release does not serve, while / still passes', async () => {
    mode = 'missing-asset';
    await runWindow({ ...settings(), windowMs: 2 * SLOT }, nextSlot(), { cloudWatch: client, log: () => undefined });
    expect(series('Success', 'site').map((d) => d.value)).toEqual([1, 1]);
    expect(series('Failure', 'asset').map((d) => d.value)).toEqual([1, 1]);
    expect(requested).toContain('HEAD /assets/index-deadbeef.js');
  });

  it("publishes each dependency's status and latency from /health/db and /health/apis", async () => {
    // 12 slots always include one on a multiple of 12.
    await runWindow({ ...settings(), windowMs: 12 * SLOT }, nextSlot(), { cloudWatch: client, log: () => undefined });
    const up = cloudWatch.datapoints.filter((d) => d.name === 'DependencyUp');
    expect(up.length).toBeGreaterThanOrEqual(2);
    expect(up[0]).toMatchObject({ value: 1, dimensions: { Environment: 'staging', Check: 'supabase-rest' } });
  });

  it('keeps probing when CloudWatch refuses a publish, and says so', async () => {
    const broken = new CloudWatchClient({ endpoint: site.url, region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const lines: Array<Record<string, unknown>> = [];
    const result = await runWindow({ ...settings(), windowMs: 2 * SLOT }, nextSlot(), { cloudWatch: broken, log: (l) => void lines.push(l) });
    broken.destroy();
    expect(result).toEqual({ slots: 2, publishFailures: 2 });
    expect(lines[0]).toMatchObject({ event: 'publish-failed' });
  });
});

describe('prober handler', () => {
  function loadHandler(windowMs: number) {
    process.env.MIKO_PROBER_SETTINGS = JSON.stringify({ ...settings(), windowMs });
    Object.assign(process.env, DUMMY_AWS_ENV, { AWS_ENDPOINT_URL_CLOUDWATCH: cloudWatch.url });
    let handler!: typeof import('../../lambda/prober/handler').handler;
    jest.isolateModules(() => { handler = require('../../lambda/prober/handler').handler; });
    return handler;
  }

  it("owns the window starting at the event's scheduled time and publishes to CloudWatch", async () => {
    const handler = loadHandler(2 * SLOT);
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const scheduled = nextSlot();
    const result = await handler({ time: new Date(scheduled).toISOString() }, { getRemainingTimeInMillis: () => 10_000 });
    expect(result).toEqual({ slots: 2, publishFailures: 0 });
    expect(series('Success', 'site').map((d) => d.timestampMs)).toEqual([scheduled, scheduled + SLOT]);
  });

  it('schedules no slot it could not finish before the Lambda times out', async () => {
    const handler = loadHandler(2 * SLOT);
    const result = await handler({ time: new Date(nextSlot()).toISOString() }, { getRemainingTimeInMillis: () => 500 });
    expect(result.slots).toBe(0);
  });
});
