/**
 * Checks of the live site over HTTP: headers, cache rules per file class, SPA routing, release and health.
 * Each check is independent and reports one line; a request that fails is that check's failure, not a crash.
 */
import { CacheRule, immutableForAYear, mustRevalidate, shortLived } from './cache-control';
import { CheckResult, couldNotCheck, fail, pass } from './check';
import type { ExpectedHeaders } from './expected-headers';

/** Long enough for a cold CloudFront edge and a cold Lambda behind /health; short enough to fail a hung deploy fast. */
export const REQUEST_TIMEOUT_MS = 10_000;
/** An extensionless path the app routes in the browser: it must get index.html with 200. */
export const DEEP_LINK_PATH = '/booking/confirm';

export interface SiteExpectations {
  /** From the synthesized response-headers policy, or why it could not be read (every header check then fails). */
  readonly headers: ExpectedHeaders | { readonly error: string };
  /** The release that should be live; without it version.json only has to name one. */
  readonly release?: string;
}

interface Fetched {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

async function get(baseUrl: string, path: string): Promise<Fetched> {
  const response = await fetch(new URL(path, baseUrl), {
    redirect: 'manual',
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

const isHtml = (r: Fetched) => (r.headers.get('content-type') ?? '').toLowerCase().startsWith('text/html');

/** Runs every site check against `baseUrl` (https://app.example.com or http://127.0.0.1:PORT in tests). */
export async function checkSite(baseUrl: string, expected: SiteExpectations): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  // A failed request is recorded as its message (not the Error: fetch's errors may come from another realm).
  const fetched = new Map<string, Fetched | { failure: string }>();
  const load = async (path: string) => {
    if (!fetched.has(path))
      fetched.set(
        path,
        await get(baseUrl, path).catch((error: Error) => ({
          failure: `${error.message}${error.cause ? ` (${(error.cause as Error).message ?? error.cause})` : ''}`,
        })),
      );
    return fetched.get(path)!;
  };
  /** Runs `check` on the response to `path`, or fails `name` with the request's error. */
  const on = async (name: string, path: string, check: (r: Fetched) => CheckResult) => {
    const response = await load(path);
    results.push('failure' in response ? fail(name, `GET ${path} failed: ${response.failure}`) : check(response));
  };

  const index = await load('/');
  // No answer at all (refused, DNS, timeout) says nothing about the release: could not check, not release bad.
  if ('failure' in index)
    return [
      couldNotCheck(
        'site reachable',
        `GET ${new URL('/', baseUrl)} failed: ${index.failure}. Fix: check --url and your network; if the site is down for everyone, docs/runbooks/site-down.md`,
      ),
    ];
  const html = index.body;
  const assetPath = html.match(/(?:src|href)="(\/assets\/[^"]+)"/)?.[1];
  const faviconPath = html.match(/<link[^>]+rel="(?:shortcut )?icon"[^>]+href="(\/[^"]+)"/)?.[1] ?? '/favicon.ico';
  const missingAssetPath = `/assets/verify-missing-${Date.now().toString(36)}.js`;

  // Security headers: every value on the index page, then presence on every other file class (errors included).
  if ('error' in expected.headers) {
    results.push(couldNotCheck('security headers', `cannot know the expected values: ${expected.headers.error}`));
  } else {
    const { values, removed } = expected.headers;
    for (const [header, value] of Object.entries(values)) {
      await on(`header ${header}`, '/', (r) => {
        const got = r.headers.get(header);
        if (got === null) return fail(`header ${header}`, `missing on /; expected "${value}"`);
        return got === value
          ? pass(`header ${header}`, got)
          : fail(`header ${header}`, `weakened or changed on /: expected "${value}", got "${got}"`);
      });
    }
    for (const header of removed) {
      await on(`header ${header} removed`, '/', (r) =>
        r.headers.get(header) === null
          ? pass(`header ${header} removed`, 'absent')
          : fail(`header ${header} removed`, `present: "${r.headers.get(header)}"`),
      );
    }
    const otherPaths = [DEEP_LINK_PATH, ...(assetPath ? [assetPath] : []), '/version.json', missingAssetPath];
    const gaps: string[] = [];
    for (const path of otherPaths) {
      const r = await load(path);
      if ('failure' in r) {
        gaps.push(`every header on ${path} (no response)`);
        continue;
      }
      for (const [header, value] of Object.entries(values))
        if (r.headers.get(header) !== value) gaps.push(`${header} on ${path}`);
    }
    results.push(
      gaps.length === 0
        ? pass('security headers on every file class', `${otherPaths.length} responses, including the 404`)
        : fail('security headers on every file class', `missing or different: ${gaps.join(', ')}`),
    );
  }

  // Cache-Control per file class.
  const cache = (label: string, path: string, rule: CacheRule) =>
    on(`cache ${label}`, path, (r) => {
      if (r.status !== 200) return fail(`cache ${label}`, `GET ${path} answered ${r.status}`);
      const problem = rule(r.headers.get('cache-control'));
      return problem
        ? fail(`cache ${label}`, `${path}: ${problem}`)
        : pass(`cache ${label}`, `${path}: ${r.headers.get('cache-control')}`);
    });
  await cache('index.html', '/', mustRevalidate);
  if (assetPath) await cache('hashed asset', assetPath, immutableForAYear);
  else results.push(fail('cache hashed asset', 'index.html references no /assets/ file to check'));
  await cache('config.json', '/config.json', mustRevalidate);
  await cache('version.json', '/version.json', mustRevalidate);
  // Unhashed public files are the build's choice: one it does not have is an honest 404 (not the app's HTML).
  const publicFile = (label: string, path: string) =>
    on(`cache ${label}`, path, (r) => {
      if (r.status === 404 && !isHtml(r)) return pass(`cache ${label}`, `${path}: not in this build (404)`);
      if (r.status !== 200) return fail(`cache ${label}`, `GET ${path} answered ${r.status}`);
      if (isHtml(r))
        return fail(`cache ${label}`, `${path} answered 200 with HTML (SPA fallback): it must be the file or a 404`);
      const problem = shortLived(r.headers.get('cache-control'));
      return problem
        ? fail(`cache ${label}`, `${path}: ${problem}`)
        : pass(`cache ${label}`, `${path}: ${r.headers.get('cache-control')}`);
    });
  await publicFile('favicon', faviconPath);
  await publicFile('robots.txt', '/robots.txt');

  // Routing: deep links get the app; a missing asset is a real 404, never index.html.
  await on('deep link', DEEP_LINK_PATH, (r) => {
    if (r.status !== 200 || !isHtml(r))
      return fail(
        'deep link',
        `${DEEP_LINK_PATH} answered ${r.status} ${r.headers.get('content-type') ?? 'without a Content-Type'}; expected 200 HTML`,
      );
    const problem = mustRevalidate(r.headers.get('cache-control'));
    return problem
      ? fail('deep link', `${DEEP_LINK_PATH} is HTML but cached: ${problem}`)
      : pass('deep link', `${DEEP_LINK_PATH} answered 200 HTML`);
  });
  await on('missing asset', missingAssetPath, (r) => {
    if (isHtml(r))
      return fail(
        'missing asset',
        `${missingAssetPath} answered ${r.status} with HTML (SPA fallback): a missing chunk must be a real 404`,
      );
    return r.status === 404
      ? pass('missing asset', `${missingAssetPath} answered 404 ${r.headers.get('content-type') ?? ''}`.trim())
      : fail('missing asset', `${missingAssetPath} answered ${r.status}; expected 404`);
  });

  // The release that is live, as the site and the health API see it.
  await on('release', '/version.json', (r) => {
    let release: unknown;
    try {
      const body = JSON.parse(r.body);
      release = body?.release ?? body?.releaseId;
    } catch {
      return fail('release', `/version.json answered ${r.status} with something that is not JSON`);
    }
    if (typeof release !== 'string' || release === '') return fail('release', '/version.json names no release');
    if (expected.release && release !== expected.release)
      return fail('release', `live release is "${release}", expected "${expected.release}"`);
    return pass('release', `live release is "${release}"`);
  });
  await on('health', '/health', (r) => {
    if (r.status !== 200) return fail('health', `/health answered ${r.status}; expected 200`);
    let release: unknown;
    try {
      release = JSON.parse(r.body).release;
    } catch {
      return fail('health', '/health answered 200 with something that is not JSON');
    }
    if (expected.release && typeof release === 'string' && release !== expected.release) {
      return fail('health', `/health answered 200 but serves release "${release}", expected "${expected.release}"`);
    }
    return pass('health', `/health answered 200${typeof release === 'string' ? ` (release "${release}")` : ''}`);
  });
  return results;
}
