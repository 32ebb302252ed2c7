/**
 * What a returning patient downloads: the app is loaded twice in one browser profile and the bytes Chromium
 * receives over the network are counted per visit (CDP Network events). Immutable assets should come from the
 * cache; HTML and the runtime config are revalidated and answered 304 without a body.
 */
import type { Browser } from 'playwright-core';

export interface VisitBytes {
  /** Response bodies as received (compressed size on the wire), cache hits excluded. */
  readonly bodyBytes: number;
  /** Everything received: bodies plus status lines and headers. */
  readonly wireBytes: number;
  /** Requests that reached the server (a cache hit receives nothing). */
  readonly networkRequests: number;
}

export interface RepeatVisit {
  readonly first: VisitBytes;
  readonly second: VisitBytes;
}

export async function measureRepeatVisit(browser: Browser, url: string): Promise<RepeatVisit> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    let current = { bodyBytes: 0, wireBytes: 0, networkRequests: 0 };
    cdp.on('Network.dataReceived', (e) => {
      current.bodyBytes += e.encodedDataLength;
    });
    cdp.on('Network.loadingFinished', (e) => {
      current.wireBytes += e.encodedDataLength;
      if (e.encodedDataLength > 0) current.networkRequests++;
    });

    const visit = async (): Promise<VisitBytes> => {
      current = { bodyBytes: 0, wireBytes: 0, networkRequests: 0 };
      // Network idle, not an app-specific "ready" flag: any build can be measured.
      await page.goto(url, { waitUntil: 'networkidle' });
      return { ...current };
    };
    const first = await visit();
    await page.goto('about:blank');
    const second = await visit();
    return { first, second };
  } finally {
    await context.close();
  }
}
