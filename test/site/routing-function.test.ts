/**
 * The viewer-request function's own code, run in Node on sample events with a fake KeyValueStore handle
 * (cloudfront-js-2.0 gives it `cf.kvs(id).get(key)`; nothing else of the module is used).
 */
import { routingFunctionSource } from '../../lib/site/routing';

type Request = {
  uri: string;
  method: string;
  headers: Record<string, { value: string }>;
  querystring: Record<string, unknown>;
};
type Handler = (event: { request: Request; viewer: { ip: string } }) => Promise<Request>;

function loadHandler(
  store: Record<string, string>,
  opts: { failReads?: boolean } = {},
): { handler: Handler; storeIds: string[] } {
  const storeIds: string[] = [];
  const cf = {
    kvs: (id: string) => {
      storeIds.push(id);
      return {
        get: async (key: string) => {
          if (opts.failReads) throw new Error('KVS read failed');
          if (!(key in store)) throw new Error(`key not found: ${key}`);
          return store[key];
        },
      };
    },
  };
  const source = routingFunctionSource('viewer-request').replace('__FLAG_DEFAULTS__', '{}');
  expect(source).toMatch(/^import cf from 'cloudfront';$/m);
  const body = source.replace(/^import cf from 'cloudfront';$/m, '');
  const handler = new Function('cf', `${body}\nreturn handler;`)(cf) as Handler;
  return { handler, storeIds };
}

const request = (uri: string) => ({
  request: { uri, method: 'GET', headers: {}, querystring: {} } as Request,
  viewer: { ip: '192.0.2.10' },
});

describe('the viewer-request routing function', () => {
  const live = { 'live-release': 'r42' };

  it.each([
    ['/', '/releases/r42/index.html'],
    ['/booking/confirm', '/releases/r42/index.html'],
    ['/booking/confirm/', '/releases/r42/index.html'],
    ['/assets/app-abc.js', '/assets/app-abc.js'],
    ['/assets/missing-chunk.js', '/assets/missing-chunk.js'],
    ['/robots.txt', '/releases/r42/robots.txt'],
    ['/favicon.svg', '/releases/r42/favicon.svg'],
    ['/.well-known/x', '/releases/r42/.well-known/x'],
    ['/.well-known/security.txt', '/releases/r42/.well-known/security.txt'],
    ['/config.json', '/releases/r42/config.json'],
    ['/version.json', '/releases/r42/version.json'],
    ['/health', '/health'],
    ['/health/db', '/health/db'],
    // A viewer cannot reach another release's files directly: the path lands inside the live release (a 404).
    ['/releases/r41/index.html', '/releases/r42/releases/r41/index.html'],
  ])('routes %s to %s', async (uri, expected) => {
    const { handler } = loadHandler(live);
    const routed = await handler(request(uri));
    expect(routed.uri).toBe(expected);
  });

  it('never answers a path with an extension with the app (a missing file stays a 404)', async () => {
    const { handler } = loadHandler(live);
    for (const uri of ['/assets/x.js', '/logo.png', '/sitemap.xml', '/booking/receipt.pdf']) {
      expect((await handler(request(uri))).uri).not.toMatch(/index\.html$/);
    }
  });

  it('sets x-miko-release to the live release on every request, health included', async () => {
    const { handler } = loadHandler(live);
    for (const uri of ['/', '/assets/app-abc.js', '/health', '/robots.txt']) {
      expect((await handler(request(uri))).headers['x-miko-release']).toEqual({ value: 'r42' });
    }
  });

  it('says "unknown" and never lets "/" reach the bucket (a listing) when no release is live or the store fails', async () => {
    for (const loaded of [loadHandler({}), loadHandler(live, { failReads: true })]) {
      const routed = await loaded.handler(request('/'));
      expect(routed.headers['x-miko-release']).toEqual({ value: 'unknown' });
      expect(routed.uri).toBe('/releases/none/index.html');
    }
  });

  it('follows the pointer: moving it changes the next request, no redeploy', async () => {
    const store: Record<string, string> = { 'live-release': 'r1' };
    const { handler } = loadHandler(store);
    expect((await handler(request('/'))).uri).toBe('/releases/r1/index.html');
    store['live-release'] = 'r2';
    expect((await handler(request('/'))).uri).toBe('/releases/r2/index.html');
  });

  it('opens the store by the id the construct substitutes', () => {
    const { storeIds } = loadHandler(live);
    expect(storeIds).toEqual(['__KVS_ID__']);
  });
});
