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
  /** The HTML every app route answers with, instead of INDEX_HTML (e.g. its favicon linked another way). */
  readonly indexHtml?: string;
  /** One path answered its own way (a status, a redirect, a cut connection); undefined leaves the path alone. */
  readonly answer?: (path: string) => PathAnswer | undefined;
}

/** A response of the test's own; the policy's headers are still sent, except `withoutHeader`. */
export type PathAnswer =
  | 'connection reset'
  | {
      readonly status: number;
      /** No Content-Type header at all when absent. */
      readonly type?: string;
      readonly cacheControl?: string;
      readonly body?: string;
      readonly location?: string;
      readonly withoutHeader?: string;
    };

const NO_CACHE = 'no-cache';
const SHORT = 'public, max-age=300, must-revalidate';
export const INDEX_HTML = `<!doctype html><html><head><link rel="icon" type="image/svg+xml" href="/favicon.svg">
<script type="module" crossorigin src="${ASSET}"></script><link rel="stylesheet" href="/assets/index-69b9a8d1.css"></head>
<body><div id="root"></div></body></html>`;

/** The site, and every path it was asked for, in order. */
export async function startFakeSite(
  headers: Record<string, string>,
  faults: SiteFaults = {},
): Promise<LocalServer & { paths: string[] }> {
  const paths: string[] = [];
  const local = await startLocalServer((req, _body, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    paths.push(path);
    const own = faults.answer?.(path);
    if (own === 'connection reset') return void req.socket.destroy();
    const send = (status: number, type: string | undefined, cacheControl: string | undefined, body: string) => {
      for (const [name, value] of Object.entries(headers))
        if (name !== faults.dropHeader && name !== own?.withoutHeader) res.setHeader(name, value);
      if (faults.overrideHeader) res.setHeader(faults.overrideHeader.name, faults.overrideHeader.value);
      if (type) res.setHeader('Content-Type', type);
      if (cacheControl) res.setHeader('Cache-Control', cacheControl);
      res.writeHead(status).end(body);
    };
    if (own) {
      if (own.location) res.setHeader('Location', own.location);
      return send(own.status, own.type, own.cacheControl, own.body ?? '');
    }
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
    const index = faults.indexHtml ?? INDEX_HTML;
    const html = faults.withoutPublicFiles ? index.replace(/<link rel="icon"[^>]*>/, '') : index;
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
    if (faults.spaFallbackForMissingAssets) return send(200, 'text/html; charset=utf-8', NO_CACHE, html);
    return send(404, 'application/xml', undefined, '<Error><Code>NoSuchKey</Code></Error>');
  });
  return { ...local, paths };
}
