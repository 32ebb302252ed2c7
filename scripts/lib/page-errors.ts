/**
 * Loads a page in a Chromium that we run and returns the errors it threw: the trusted way to know a release's
 * JavaScript works, because nobody outside can forge what our own browser saw (docs/readme/telemetry-trust.md).
 * verify judges a release with it; a canary can be judged the same way (pass the canary's URL or header).
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

export interface PageErrorOptions {
  readonly loadTimeoutMs?: number;
  readonly settleMs?: number;
  /** Sent with every request of the page, e.g. a canary's routing header. */
  readonly headers?: Record<string, string>;
  /** A browser the caller already runs (it stays open); otherwise one is launched and closed. */
  readonly browser?: Browser;
}

/** Our own release's messages, cut short: a stack belongs in the browser's console, not in a CI log line. */
const MESSAGE_CAP = 300;

export async function pageErrorsOf(url: string, options: PageErrorOptions = {}): Promise<PageError[]> {
  const browser = options.browser ?? (await launchChromium());
  const context = await browser.newContext({ extraHTTPHeaders: options.headers });
  const errors: PageError[] = [];
  try {
    const page = await context.newPage();
    page.on('pageerror', (error) => errors.push({ kind: 'uncaught', message: error.message.slice(0, MESSAGE_CAP) }));
    try {
      const response = await page.goto(url, {
        waitUntil: 'load',
        timeout: options.loadTimeoutMs ?? PAGE_LOAD_TIMEOUT_MS,
      });
      if (response && !response.ok()) errors.push({ kind: 'load', message: `${url} answered ${response.status()}` });
    } catch (error) {
      errors.push({ kind: 'load', message: (error as Error).message.split('\n')[0].slice(0, MESSAGE_CAP) });
    }
    await page.waitForTimeout(options.settleMs ?? PAGE_SETTLE_MS);
    return errors;
  } finally {
    await context.close();
    if (!options.browser) await browser.close();
  }
}
