/**
 * Loads a page in a Chromium that we run and returns the errors it threw: the trusted way to know a release's
 * JavaScript works, because nobody outside can forge what our own browser saw (docs/readme/telemetry-trust.md).
 * verify judges a release with it, and a canary the same way (pinned to it with the canary's bucket cookie).
 */
import type { Browser } from 'playwright-core';
import { launchChromium } from './chromium';

/** Navigation to the `load` event: a cold CloudFront edge and every chunk of the app, with room to spare. */
export const PAGE_LOAD_TIMEOUT_MS = 20_000;
/** After `load`, how long effects and their promises get to throw (an app's first data fetch, a lazy route). */
export const PAGE_SETTLE_MS = 5_000;
/** Starting Debian's Chromium on a CI runner (measured ≈ 1 s here; assumed 5 s on a cold runner). */
export const CHROMIUM_LAUNCH_S = 5;

export interface PageError {
  /** `uncaught`: an exception or unhandled rejection in the page; `load`: the document itself did not load. */
  readonly kind: 'uncaught' | 'load';
  readonly message: string;
}

export interface PageLoad {
  readonly errors: PageError[];
  /** The document's response headers (lower-case names), when it answered at all. */
  readonly documentHeaders?: Readonly<Record<string, string>>;
}

export interface PageErrorOptions {
  readonly loadTimeoutMs?: number;
  readonly settleMs?: number;
  /** Sent with every request of the page, e.g. a canary's routing header. */
  readonly headers?: Record<string, string>;
  /** Cookies the browser holds for the page's origin before it loads (a canary's bucket). */
  readonly cookies?: Record<string, string>;
  /** A browser the caller already runs (it stays open); otherwise one is launched and closed. */
  readonly browser?: Browser;
}

/** Our own release's messages, cut short: a stack belongs in the browser's console, not in a CI log line. */
const MESSAGE_CAP = 300;

export async function pageErrorsOf(url: string, options: PageErrorOptions = {}): Promise<PageError[]> {
  return (await loadPage(url, options)).errors;
}

/**
 * Loads `url`, then watches it for `settleMs`; the watch ends at the first error, since one is verdict enough
 * (a release that throws on load is judged at `load`, not 5 s later).
 */
export async function loadPage(url: string, options: PageErrorOptions = {}): Promise<PageLoad> {
  const browser = options.browser ?? (await launchChromium());
  const context = await browser.newContext({ extraHTTPHeaders: options.headers });
  const errors: PageError[] = [];
  let documentHeaders: Record<string, string> | undefined;
  let settled: () => void = () => undefined;
  const firstError = new Promise<void>((resolve) => (settled = resolve));
  try {
    const cookies = Object.entries(options.cookies ?? {});
    if (cookies.length > 0) await context.addCookies(cookies.map(([name, value]) => ({ name, value, url })));
    const page = await context.newPage();
    page.on('pageerror', (error) => {
      errors.push({ kind: 'uncaught', message: error.message.slice(0, MESSAGE_CAP) });
      settled();
    });
    try {
      const response = await page.goto(url, {
        waitUntil: 'load',
        timeout: options.loadTimeoutMs ?? PAGE_LOAD_TIMEOUT_MS,
      });
      documentHeaders = response?.headers();
      if (response && !response.ok()) errors.push({ kind: 'load', message: `${url} answered ${response.status()}` });
    } catch (error) {
      errors.push({ kind: 'load', message: (error as Error).message.split('\n')[0].slice(0, MESSAGE_CAP) });
    }
    if (errors.length === 0) {
      let timer: NodeJS.Timeout | undefined;
      const watch = new Promise<void>((resolve) => (timer = setTimeout(resolve, options.settleMs ?? PAGE_SETTLE_MS)));
      await Promise.race([watch, firstError]);
      clearTimeout(timer);
    }
    return { errors: [...errors], documentHeaders };
  } finally {
    await context.close();
    if (!options.browser) await browser.close();
  }
}
