/**
 * Stand-ins for the third parties a build talks to, so check-app and the browser tests never leave loopback
 * (WebSockets included): each allowed request gets the shape its client expects; Supabase answers as an empty
 * project. What no stand-in knows the shape of (an RPC, an edge function, another API) answers `{}` and is
 * reported as not checked, never as a failure.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { BrowserContext, Route } from 'playwright-core';

const SYSTEM_FONT = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf',
].find(existsSync);

const GOOGLE_FONTS_CSS =
  "@font-face { font-family: 'Inter'; font-style: normal; font-weight: 400; src: url(https://fonts.gstatic.com/s/inter/v13/stand-in.ttf) format('truetype'); }\n";

const GOOGLE_IDENTITY_CLIENT = `(() => {
  const style = document.createElement('link');
  style.rel = 'stylesheet';
  style.href = 'https://accounts.google.com/gsi/style';
  document.head.appendChild(style);
  const button = document.createElement('iframe');
  button.src = 'https://accounts.google.com/gsi/button?stand-in=1';
  button.title = 'Sign in with Google';
  button.style.border = '0';
  document.body.appendChild(button);
})();`;

function corsHeaders(route: Route): Record<string, string> {
  const origin = route.request().headers().origin;
  return {
    'access-control-allow-origin': origin ?? '*',
    'access-control-allow-headers': '*',
    'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
    'access-control-allow-credentials': 'true',
  };
}

/** Where the stand-ins note what they answered without knowing its real shape ("GET https://host/path"). */
export type Unchecked = Set<string>;

const json = (route: Route, status: number, body: unknown, headers: Record<string, string> = {}) =>
  route.fulfill({
    status,
    headers: { ...corsHeaders(route), 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

/** Supabase's REST (PostgREST), Storage and Auth for a project with no rows and no session; undefined if not Supabase. */
function supabaseAnswer(route: Route, url: URL, unchecked: Unchecked): Promise<void> | undefined {
  const request = route.request();
  const method = request.method();
  const rest = /^\/rest\/v1\/(?!rpc\/)[^/]+$/.test(url.pathname);
  if (rest) {
    const single = (request.headers().accept ?? '').includes('application/vnd.pgrst.object+json');
    const returning = (request.headers().prefer ?? '').includes('return=representation');
    if (method === 'GET' || method === 'HEAD') {
      if (single)
        return json(route, 406, {
          code: 'PGRST116',
          details: 'The result contains 0 rows',
          hint: null,
          message: 'JSON object requested, multiple (or no) rows returned',
        });
      return json(route, 200, [], { 'content-range': '*/0' });
    }
    if (!returning) return route.fulfill({ status: method === 'POST' ? 201 : 204, headers: corsHeaders(route) });
    // The written rows come back as sent: the stand-in has no defaults or triggers to add.
    const sent = request.postDataJSON() as unknown;
    const rows = Array.isArray(sent) ? sent : [sent];
    return json(route, method === 'POST' ? 201 : 200, single ? (rows[0] ?? {}) : rows);
  }
  if (/^\/storage\/v1\/(?:bucket\/?$|object\/list\/)/.test(url.pathname)) return json(route, 200, []);
  if (url.pathname.startsWith('/auth/v1/')) {
    if (url.pathname === '/auth/v1/settings') return json(route, 200, { external: {}, disable_signup: false });
    return json(route, 401, { code: 401, error_code: 'no_authorization', msg: 'check-app stand-in: no session' });
  }
  if (/^\/(?:rest\/v1\/rpc|functions\/v1|storage\/v1)\//.test(url.pathname)) {
    unchecked.add(`${method} ${url.origin}${url.pathname}`);
    return json(route, 200, {});
  }
  return undefined;
}

async function answer(route: Route, unchecked: Unchecked): Promise<void> {
  const url = new URL(route.request().url());
  const cors = corsHeaders(route);
  if (route.request().method() === 'OPTIONS') return route.fulfill({ status: 204, headers: cors });
  if (url.host === 'fonts.googleapis.com')
    return route.fulfill({ status: 200, headers: { ...cors, 'content-type': 'text/css' }, body: GOOGLE_FONTS_CSS });
  if (url.host === 'fonts.gstatic.com') {
    return route.fulfill({
      status: 200,
      headers: { ...cors, 'content-type': 'font/ttf' },
      body: SYSTEM_FONT ? readFileSync(SYSTEM_FONT) : Buffer.alloc(0),
    });
  }
  if (url.host === 'accounts.google.com') {
    if (url.pathname === '/gsi/client')
      return route.fulfill({
        status: 200,
        headers: { ...cors, 'content-type': 'text/javascript' },
        body: GOOGLE_IDENTITY_CLIENT,
      });
    if (url.pathname === '/gsi/style')
      return route.fulfill({ status: 200, headers: { ...cors, 'content-type': 'text/css' }, body: '.stand-in{}' });
    return route.fulfill({
      status: 200,
      headers: { 'content-type': 'text/html' },
      body: '<!doctype html><title>Google sign-in stand-in</title>',
    });
  }
  // Sentry's envelope endpoint answers an id the SDK does not read.
  if (/\/api\/\d+\/envelope\/?$/.test(url.pathname)) return json(route, 200, {});
  const supabase = supabaseAnswer(route, url, unchecked);
  if (supabase) return supabase;
  unchecked.add(`${route.request().method()} ${url.origin}${url.pathname}`);
  return json(route, 200, {});
}

/**
 * A Phoenix channel server as Supabase Realtime speaks it (both serializers: JSON objects, and the 2.0 arrays
 * `[join_ref, ref, topic, event, payload]`): every join and heartbeat is answered "ok", nothing else is sent.
 */
function realtimeReply(message: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    return undefined;
  }
  const ok = { status: 'ok', response: { postgres_changes: [] } };
  if (Array.isArray(parsed)) {
    const [joinRef, ref, topic, event] = parsed as [unknown, unknown, unknown, unknown];
    return event === 'phx_join' || event === 'heartbeat'
      ? JSON.stringify([joinRef, ref, topic, 'phx_reply', ok])
      : undefined;
  }
  const { topic, event, ref } = parsed as { topic?: unknown; event?: unknown; ref?: unknown };
  return event === 'phx_join' || event === 'heartbeat'
    ? JSON.stringify({ topic, event: 'phx_reply', payload: ok, ref })
    : undefined;
}

/**
 * Routes every request and WebSocket that is not for `siteOrigin` to the stand-ins; returns where they note what
 * they could not answer in its real shape.
 */
export async function standInForTheOutsideWorld(context: BrowserContext, siteOrigin: string): Promise<Unchecked> {
  const unchecked: Unchecked = new Set();
  const site = new URL(siteOrigin);
  await context.route(
    (url) => url.origin !== siteOrigin && (url.protocol === 'http:' || url.protocol === 'https:'),
    (route) => answer(route, unchecked),
  );
  // Never connected to a server: the page talks to this stand-in only.
  await context.routeWebSocket(
    (url) => url.host !== site.host,
    (socket) => {
      const url = new URL(socket.url());
      if (!url.pathname.startsWith('/realtime/v1/')) unchecked.add(`WebSocket ${url.origin}${url.pathname}`);
      socket.onMessage((message) => {
        const reply = typeof message === 'string' ? realtimeReply(message) : undefined;
        if (reply) socket.send(reply);
      });
    },
  );
  return unchecked;
}
