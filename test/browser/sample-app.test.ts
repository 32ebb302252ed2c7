/**
 * The sample app in real Chromium, served the way each environment's distribution would serve it: it must render
 * from config.json with zero CSP violations, deep links must render, a missing chunk must be a 404, and a repeat
 * visit must fetch almost nothing (immutable assets from cache, only HTML and config revalidated).
 */
import type { Server } from 'node:http';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { siteModel, startPreview } from '../support/preview';
import { measureRepeatVisit } from '../../scripts/preview/repeat-visit';
import type { SiteModel } from '../../scripts/preview/site-model';

let browser: Browser;
beforeAll(async () => { browser = await launchChromium(); });
afterAll(async () => { await browser?.close(); });

/** Records CSP violations as the page sees them (the event fires before anything could hide it). */
async function watchViolations(context: BrowserContext): Promise<string[]> {
  const violations: string[] = [];
  await context.exposeFunction('reportCspViolation', (text: string) => violations.push(text));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as any).reportCspViolation(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'}`);
    });
  });
  return violations;
}

async function serve(model: SiteModel): Promise<{ server: Server; url: string }> {
  return startPreview(model);
}

async function openApp(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => document.documentElement.dataset.ready !== undefined, undefined, { timeout: 10_000 });
}

describe.each(['staging', 'production'] as const)('the sample app under %s\'s headers', (envName) => {
  let server: Server;
  let url: string;
  beforeAll(async () => ({ server, url } = await serve(siteModel(envName))));
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('renders from config.json with zero CSP violations', async () => {
    const context = await browser.newContext();
    const violations = await watchViolations(context);
    const page = await context.newPage();
    await openApp(page, `${url}/`);
    expect(await page.evaluate(() => document.documentElement.dataset.ready)).toBe('true');
    expect(await page.textContent('.app-name')).toMatch(/MiKO Plastic Surgery/);
    expect(await page.textContent('.environment')).toBe(`Environment: ${envName}`);
    expect(violations).toEqual([]);
    await context.close();
  });

  it('renders a deep link as the app', async () => {
    const context = await browser.newContext();
    const violations = await watchViolations(context);
    const page = await context.newPage();
    await openApp(page, `${url}/booking/confirm`);
    expect(await page.textContent('.route-title')).toBe('Book a consultation');
    expect(violations).toEqual([]);
    await context.close();
  });

  it('fetches at most 5 % of the first visit\'s bytes on a second visit', async () => {
    const { first, second } = await measureRepeatVisit(browser, `${url}/`);
    expect(first.bodyBytes).toBeGreaterThan(0);
    // Only revalidations (304, no body) go out again; hashed assets come from the cache without a request.
    expect(second.bodyBytes / first.bodyBytes).toBeLessThanOrEqual(0.05);
    expect(second.networkRequests).toBeLessThan(first.networkRequests);
  });

  it('answers a missing asset with a 404 that is not the app', async () => {
    const context = await browser.newContext();
    const response = await (await context.newPage()).goto(`${url}/assets/index-00000000.js`);
    expect(response?.status()).toBe(404);
    expect(response?.headers()['content-type']).not.toMatch(/html/);
    await context.close();
  });
});

describe('the browser CSP check', () => {
  it('sees the violation when the allowlist stops allowing the app\'s own config fetch', async () => {
    const model = siteModel('production');
    const broken: SiteModel = {
      ...model,
      behaviours: model.behaviours.map((b) => ({
        ...b,
        headers: { ...b.headers, values: { ...b.headers.values, 'Content-Security-Policy': b.headers.values['Content-Security-Policy'].replace(/connect-src 'self' /, 'connect-src ') } },
      })),
    };
    expect(broken.behaviours[0].headers.values['Content-Security-Policy']).not.toMatch(/connect-src 'self'/);
    const { server, url } = await serve(broken);
    try {
      const context = await browser.newContext();
      const violations = await watchViolations(context);
      const page = await context.newPage();
      await openApp(page, `${url}/`);
      expect(violations).toContainEqual(expect.stringMatching(/^connect-src blocked .*\/config\.json$/));
      expect(await page.evaluate(() => document.documentElement.dataset.ready)).toBe('error');
      await context.close();
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
