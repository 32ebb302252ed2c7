/**
 * Canary routing through the SYNTHESIZED functions (production's viewer-request and viewer-response, read from the
 * cached assembly): first visits split by the weight, each browser stays on its release for every later file
 * (lazy chunks included), weight 0 sends everyone to live, and through the preview both releases' files resolve
 * while config.json and version.json name the release the browser is on.
 */
import type { Server } from 'node:http';
import { FUNCTION_CODE_LIMIT_BYTES } from '../../lib/site/routing';
import {
  compileCloudFrontFunction,
  CloudFrontEvent,
  CloudFrontRequest,
  ViewerRequestHandler,
  ViewerResponseHandler,
} from '../../scripts/preview/cloudfront-function';
import { siteModel, startPreview } from '../support/preview';
import { withCanaryRelease } from '../support/canary';

const LIVE = 'r-live';
const CANARY = 'r-canary';
const model = siteModel('production');
const documents = model.behaviours.find((b) => b.pathPattern === '*')!;
const assets = model.behaviours.find((b) => b.pathPattern === '/assets/*')!;

/** A seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const AGENTS = [
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 Version/18.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_7) AppleWebKit/605.1.15 Version/18.1 Safari/605.1.15',
  'Mozilla/5.0 (Linux; Android 15) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36',
];

interface Browser {
  ip: string;
  agent: string;
  cookie?: string;
}

function eventFor(browser: Browser, uri: string): CloudFrontEvent {
  const request: CloudFrontRequest = {
    uri,
    method: 'GET',
    querystring: {},
    headers: { 'user-agent': { value: browser.agent } },
    cookies: browser.cookie ? { 'miko-bucket': { value: browser.cookie } } : {},
  };
  return { request, viewer: { ip: browser.ip } };
}

function edge(store: Map<string, string>) {
  const viewerRequest = compileCloudFrontFunction<ViewerRequestHandler>(documents.viewerRequestCode!, store);
  const viewerResponse = compileCloudFrontFunction<ViewerResponseHandler>(documents.viewerResponseCode!, store);
  /** One request as CloudFront runs it: the release the origin is asked for, and the response's release header. */
  return async (browser: Browser, uri: string) => {
    const event = eventFor(browser, uri);
    const routed = (await viewerRequest(JSON.parse(JSON.stringify(event)))) as CloudFrontRequest;
    const response = await viewerResponse({ ...event, response: { statusCode: 200, headers: {}, cookies: {} } });
    const cookie = response.cookies?.['miko-bucket'];
    if (cookie) browser.cookie = cookie.value;
    return {
      requested: routed.headers['x-miko-release'].value,
      uri: routed.uri,
      served: response.headers!['x-miko-release'].value,
      cookie,
    };
  };
}

function firstVisitors(count: number, seed: number): Browser[] {
  const next = random(seed);
  return Array.from({ length: count }, () => ({
    ip: [1 + Math.floor(next() * 223), 0, 0, 0].map((o, i) => (i ? Math.floor(next() * 256) : o)).join('.'),
    agent: AGENTS[Math.floor(next() * AGENTS.length)],
  }));
}

const LATER_PATHS = ['/booking', '/config.json', '/version.json', '/procedures/rhinoplasty', '/assets/lazy-AbC123.js'];

it('associates both functions with the bucket behaviours, each within CloudFront’s 10 KB', () => {
  for (const behaviour of [documents, assets]) {
    expect(behaviour.viewerRequestCode).toBeDefined();
    expect(behaviour.viewerResponseCode).toBeDefined();
  }
  for (const code of [documents.viewerRequestCode!, documents.viewerResponseCode!])
    expect(Buffer.byteLength(code)).toBeLessThanOrEqual(FUNCTION_CODE_LIMIT_BYTES);
});

describe('a canary at 5 %', () => {
  const store = new Map([
    ['live-release', LIVE],
    ['canary', JSON.stringify({ release: CANARY, weight: 5 })],
  ]);
  const request = edge(store);
  const browsers = firstVisitors(10_000, 22);

  it('gives 10,000 first visits the weight ± 1 %, pins each with a cookie and names its release', async () => {
    let onCanary = 0;
    const wrong: unknown[] = [];
    for (const browser of browsers) {
      const answer = await request(browser, '/');
      const pinned = /Secure; HttpOnly; SameSite=Lax/.test(answer.cookie?.attributes ?? '');
      if (answer.served !== answer.requested || answer.uri !== `/releases/${answer.requested}/index.html` || !pinned)
        wrong.push(answer);
      if (answer.requested === CANARY) onCanary++;
    }
    expect(wrong).toEqual([]);
    expect(Math.abs(onCanary / browsers.length - 0.05)).toBeLessThanOrEqual(0.01);
  });

  it('keeps every assigned browser on its release for 50 further requests, a lazy chunk included, across a new address', async () => {
    const canaryBrowsers = browsers.filter((b) => Number(b.cookie) < 500);
    const liveBrowsers = browsers.filter((b) => Number(b.cookie) >= 500).slice(0, canaryBrowsers.length);
    expect(canaryBrowsers.length).toBeGreaterThan(300);
    const moved: unknown[] = [];
    let requests = 0;
    for (const [group, expected] of [
      [canaryBrowsers, CANARY],
      [liveBrowsers, LIVE],
    ] as const) {
      for (const browser of group) {
        browser.ip = '198.51.100.7'; // a phone moving from Wi-Fi to the mobile network
        for (let i = 0; i < 50; i++) {
          const path = LATER_PATHS[i % LATER_PATHS.length];
          const answer = await request(browser, path);
          requests++;
          if (answer.requested !== expected || answer.served !== expected || answer.cookie)
            moved.push({ path, answer });
        }
      }
    }
    expect(moved).toEqual([]);
    expect(requests).toBe(50 * (canaryBrowsers.length + liveBrowsers.length));
  });

  it('weight 0 sends new and assigned browsers to live', async () => {
    store.set('canary', JSON.stringify({ release: CANARY, weight: 0 }));
    const assigned = browsers.filter((b) => Number(b.cookie) < 500);
    const notLive: unknown[] = [];
    for (const browser of [...assigned, ...firstVisitors(2_000, 7)]) {
      const answer = await request(browser, '/');
      if (answer.requested !== LIVE || answer.served !== LIVE) notLive.push(answer);
    }
    expect(assigned.length).toBeGreaterThan(300);
    expect(notLive).toEqual([]);
  });

  it('serves live when the canary entry is malformed (a bad write never takes the site down)', async () => {
    store.set('canary', '{"release":');
    expect((await request({ ip: '203.0.113.1', agent: AGENTS[0], cookie: '0' }, '/')).requested).toBe(LIVE);
  });
});

describe('through the preview', () => {
  let server: Server;
  let url: string;
  const store = new Map<string, string>();

  beforeAll(async () => {
    const { model: split, live } = withCanaryRelease(model, CANARY);
    store.set('live-release', live);
    store.set('canary', JSON.stringify({ release: CANARY, weight: 5 }));
    ({ server, url } = await startPreviewServerFor(split));
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const startPreviewServerFor = (split: typeof model) => startPreview(split, undefined, store);

  it.each([
    ['0', CANARY],
    ['9999', 'live'],
  ])(
    'bucket %s: config.json, version.json and the header name the release; its lazy chunk resolves',
    async (bucket, expected) => {
      const release = expected === 'live' ? store.get('live-release')! : expected;
      const headers = { cookie: `miko-bucket=${bucket}` };
      for (const file of ['config.json', 'version.json']) {
        const answer = await fetch(`${url}/${file}`, { headers });
        expect(answer.status).toBe(200);
        expect(answer.headers.get('x-miko-release')).toBe(release);
        expect(((await answer.json()) as { release: string }).release).toBe(release);
      }
      const page = await fetch(`${url}/`, { headers });
      expect(page.headers.get('x-miko-release')).toBe(release);
      const chunk = release === CANARY ? 'canary-only' : 'live-only';
      const lazy = await fetch(`${url}/assets/${chunk}.js`, { headers });
      expect([lazy.status, lazy.headers.get('x-miko-release')]).toEqual([200, release]);
    },
  );

  it('a first visit gets its bucket cookie', async () => {
    const answer = await fetch(`${url}/`);
    expect(answer.headers.get('set-cookie')).toMatch(
      /^miko-bucket=\d{1,4}; Path=\/; Max-Age=31536000; Secure; HttpOnly; SameSite=Lax$/,
    );
  });
});
