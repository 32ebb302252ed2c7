/**
 * Stand-ins for the third parties a build talks to, so check-app (and the browser tests) never leave loopback:
 * the CSP decides before a request is made, so what matters is that every allowed request gets a plausible answer
 * and nothing reaches the internet. Google Fonts answers a stylesheet whose @font-face loads from
 * fonts.gstatic.com; the Google Identity script does what the real client does when it renders its button (loads
 * its stylesheet and an iframe from accounts.google.com); every other origin (Supabase, Sentry, …) answers `{}`
 * with CORS headers.
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

async function answer(route: Route): Promise<void> {
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
  return route.fulfill({ status: 200, headers: { ...cors, 'content-type': 'application/json' }, body: '{}' });
}

/** Routes every request that is not for `siteOrigin` to the stand-ins. */
export async function standInForTheOutsideWorld(context: BrowserContext, siteOrigin: string): Promise<void> {
  await context.route(
    (url) => url.origin !== siteOrigin && (url.protocol === 'http:' || url.protocol === 'https:'),
    answer,
  );
}
