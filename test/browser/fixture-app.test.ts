/**
 * The tests' own real app (a Vite build of React, Radix Dialog, sonner, Sentry Replay, supabase-js, Google Fonts
 * and Google sign-in: test/fixtures/real-app) in real Chromium, served the way each environment's distribution
 * would serve it, under its ENFORCED headers: zero CSP violations with the config's declared needs while a toast
 * shows and a dialog locks scroll; a removed declaration makes its violation appear, named with its fix; a missing
 * chunk's 404, and a repeat visit that fetches almost nothing.
 * Third parties are stand-ins on no network (scripts/check-app/outside-world.ts).
 */
import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { committedConfig, validateAppConfig } from '../../lib/config';
import { browseSite } from '../../scripts/check-app/browse';
import { describeFinding, Finding } from '../../scripts/check-app/findings';
import { measureRepeatVisit } from '../../scripts/preview/repeat-visit';
import { launchChromium } from '../support/browser';
import { siteModel, siteModelWithCspOf, startPreview } from '../support/preview';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** What a patient does on the page: wait for the app, show a toast, open the dialog (scroll lock), close it. */
async function useTheApp(page: Page): Promise<void> {
  await page.waitForFunction(() => document.documentElement.dataset.ready !== undefined, undefined, {
    timeout: 10_000,
  });
  expect(await page.evaluate(() => document.documentElement.dataset.ready)).toBe('true');
  await page.click('[data-testid=toast]');
  await page.waitForSelector('[data-sonner-toast]');
  await page.click('[data-testid=open-dialog]');
  await page.waitForSelector('[data-testid=dialog]');
  expect(await page.evaluate(() => document.body.hasAttribute('data-scroll-locked'))).toBe(true);
  expect(await page.evaluate(() => getComputedStyle(document.body).overflow)).toBe('hidden');
  // The toaster is positioned by sonner's injected <style>; unstyled, it would sit in the page's flow.
  expect(await page.evaluate(() => getComputedStyle(document.querySelector('[data-sonner-toaster]')!).position)).toBe(
    'fixed',
  );
  // Vite inlined the logo as a data: URI, and it rendered.
  expect(
    await page.evaluate(() => {
      const img = document.querySelector('[data-testid=logo]') as HTMLImageElement;
      return img.src.startsWith('data:') && img.naturalWidth > 0;
    }),
  ).toBe(true);
  await page.click('[data-testid=close-dialog]');
}

describe.each(['staging', 'production'] as const)("the fixture app under %s's enforced headers", (envName) => {
  let server: Server;
  let url: string;
  beforeAll(async () => ({ server, url } = await startPreview(siteModel(envName))));
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('is served with an enforced policy', () => {
    const headers = siteModel(envName).behaviours.find((b) => b.pathPattern === '*')!.headers.values;
    expect(headers['Content-Security-Policy']).toMatch(/^default-src 'none'/);
  });

  it('runs with zero CSP violations, failed requests or console errors, on / and a lazy deep link', async () => {
    const findings = await browseSite(browser, url, ['/', '/booking/confirm'], { interact: useTheApp });
    expect(findings.map(describeFinding)).toEqual([]);
  });

  // Asked without Chromium: an app load costs it over a second of CPU, and this is the server's answer alone.
  it('answers a missing asset with a 404 that is not the app', async () => {
    const response = await fetch(`${url}/assets/index-00000000.js`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).not.toMatch(/html/);
  });
});

// Cache rules are not an environment setting (lib/site/cache-policies.ts, release-content.ts): one environment
// measures them, the one patients come back to. Each visit is an app load, about 1.5 s of Chromium's CPU.
describe('a returning patient on production', () => {
  it("fetches at most 5 % of the first visit's bytes on a second visit", async () => {
    const { server, url } = await startPreview(siteModel('production'));
    try {
      const { first, second } = await measureRepeatVisit(browser, `${url}/`);
      expect(first.bodyBytes).toBeGreaterThan(0);
      expect(second.bodyBytes / first.bodyBytes).toBeLessThanOrEqual(0.05);
      expect(second.networkRequests).toBeLessThan(first.networkRequests);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('a release missing a lazy chunk', () => {
  it('is reported as a failed same-origin request on the deep link that needs it', async () => {
    const model = siteModel('production');
    const chunk = [...model.objects.keys()].find((key) => /^assets\/Booking-[A-Za-z0-9_-]+\.js$/.test(key))!;
    expect(chunk).toBeDefined();
    const { server, url } = await startPreview({
      ...model,
      objects: new Map([...model.objects].filter(([key]) => key !== chunk)),
    });
    try {
      const findings = await browseSite(browser, url, ['/', '/booking/confirm']);
      expect(findings.filter((f) => f.path === '/')).toEqual([]);
      expect(findings).toContainEqual({
        kind: 'request',
        path: '/booking/confirm',
        url: `/${chunk}`,
        failure: 'HTTP 404',
      });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('declarations removed from the config', () => {
  // One app load under one policy with three removals (each load costs Chromium over a second of CPU): img-src and
  // worker-src lose what Vite's inlined logo and Sentry Replay's worker need, and style-src-elem its last resort.
  let findings: Finding[];
  beforeAll(async () => {
    const raw = structuredClone(committedConfig) as any;
    delete raw.production.csp['img-src'];
    delete raw.production.csp['worker-src'];
    raw.production.csp['style-src-elem'] = ['https://fonts.googleapis.com', 'https://accounts.google.com'];
    // The policy the site stack builds from that config, validated as synth would.
    const { server, url } = await startPreview(siteModelWithCspOf('production', validateAppConfig(raw).production));
    try {
      findings = await browseSite(browser, url, ['/']);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  // The report reaching the collector is the telemetry part's test; the violation itself is caught here.
  it('make their violations appear, named with the directive, what was blocked and the fix (check-app)', () => {
    expect(findings.map(describeFinding)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^CSP img-src blocked data\b.*Add "data:" to csp\['img-src'\]/),
        expect.stringMatching(/^CSP worker-src blocked blob\b.*Add "blob:" to csp\['worker-src'\]/),
      ]),
    );
    expect(findings.every((f) => f.kind !== 'csp' || f.violation.disposition === 'enforce')).toBe(true);
  });

  it('name the hash to declare for a static injected <style> (sonner) once the last resort is removed', () => {
    const sonner = findings.find((f) => f.kind === 'csp' && f.violation.sample?.startsWith('[data-sonner-toaster]'));
    expect(sonner && describeFinding(sonner)).toMatch(
      /^CSP style-src-elem blocked inline code .*add "'sha256-[A-Za-z0-9+/]+=*'" to csp\['style-src-elem'\]/,
    );
  });
});
