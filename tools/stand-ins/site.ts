/**
 * A local stand-in for the CloudFront site that behaves as the Site issue specifies (release pointer, SPA routing
 * for extensionless paths only, cache rules per file class, headers on every response including errors), with one
 * switch per way it can go wrong.
 */
import { LocalServer, listenWithBody as startLocalServer } from './http';

export const LIVE_RELEASE = '2026-11-22T0300Z-abc1234';
export const ASSET = '/assets/index-c63af811.js';

export interface SiteFaults {
  /** Headers left out of (or changed in) every response. */
  readonly dropHeader?: string;
  readonly overrideHeader?: { name: string; value: string };
  readonly indexCacheControl?: string;
  /** The blanket 403/404 → index.html mapping the Site issue forbids. */
  readonly spaFallbackForMissingAssets?: boolean;
  readonly release?: string;
  readonly healthStatus?: number;
  /** A build with no favicon and no robots.txt (both are the app's choice). */
  readonly withoutPublicFiles?: boolean;
  /** The app's JavaScript throws this message on load (a release that passes every HTTP check and still breaks). */
  readonly throwOnLoad?: string;
}

const NO_CACHE = 'no-cache';
const SHORT = 'public, max-age=300, must-revalidate';
const INDEX_HTML = `<!doctype html><html><head><link rel="icon" type="image/svg+xml" href="/favicon.svg">
<script type="module" crossorigin src="${ASSET}"></script><link rel="stylesheet" href="/assets/index-69b9a8d1.css"></head>
<body><div id="root"></div></body></html>`;

export function startFakeSite(headers: Record<string, string>, faults: SiteFaults = {}): Promise<LocalServer> {
  return startLocalServer((req, _body, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const send = (status: number, type: string, cacheControl: string | undefined, body: string) => {
      for (const [name, value] of Object.entries(headers)) if (name !== faults.dropHeader) res.setHeader(name, value);
      if (faults.overrideHeader) res.setHeader(faults.overrideHeader.name, faults.overrideHeader.value);
      res.setHeader('Content-Type', type);
      if (cacheControl) res.setHeader('Cache-Control', cacheControl);
      res.writeHead(status).end(body);
    };
    const release = faults.release ?? LIVE_RELEASE;
    if (path === '/health') {
      const status = faults.healthStatus ?? 200;
      return send(
        status,
        'application/json',
        'no-store',
        JSON.stringify({ status: status === 200 ? 'ok' : 'down', release }),
      );
    }
    const html = faults.withoutPublicFiles ? INDEX_HTML.replace(/<link rel="icon"[^>]*>/, '') : INDEX_HTML;
    if (!/\.[a-z0-9]+$/i.test(path) || path === '/index.html')
      return send(200, 'text/html; charset=utf-8', faults.indexCacheControl ?? NO_CACHE, html);
    if (path === ASSET)
      return send(
        200,
        'text/javascript',
        'public, max-age=31536000, immutable',
        faults.throwOnLoad ? `throw new TypeError(${JSON.stringify(faults.throwOnLoad)});` : 'export {}',
      );
    if (path === '/assets/index-69b9a8d1.css')
      return send(200, 'text/javascript', 'public, max-age=31536000, immutable', 'export {}');
    if (path === '/version.json')
      return send(
        200,
        'application/json',
        NO_CACHE,
        JSON.stringify({ release, commit: 'abc1234', builtAt: '2026-11-22T03:00:00Z' }),
      );
    if (path === '/config.json') return send(200, 'application/json', NO_CACHE, '{"appName":"MiKO"}');
    if (faults.withoutPublicFiles && (path === '/favicon.svg' || path === '/robots.txt'))
      return send(404, 'application/xml', undefined, '<Error><Code>NoSuchKey</Code></Error>');
    if (path === '/favicon.svg') return send(200, 'image/svg+xml', SHORT, '<svg/>');
    if (path === '/robots.txt') return send(200, 'text/plain', SHORT, 'User-agent: *\nDisallow: /');
    if (faults.spaFallbackForMissingAssets) return send(200, 'text/html; charset=utf-8', NO_CACHE, INDEX_HTML);
    return send(404, 'application/xml', undefined, '<Error><Code>NoSuchKey</Code></Error>');
  });
}
