/**
 * Drives Chromium over a served build and collects what a patient's browser would hit: CSP violations (with the
 * hash of a blocked inline <style>), same-origin requests that fail, and console errors. Third parties are
 * answered by stand-ins (outside-world.ts), so nothing leaves loopback.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { CspViolation, Finding } from './findings';
import { standInForTheOutsideWorld, Unchecked } from './outside-world';

/** How long a page may keep loading, and the quiet time after load in which late violations still count. */
const NAVIGATION_TIMEOUT_MS = 15_000;
const SETTLE_MS = 750;
const DUPLICATES_OF_OTHER_FINDINGS = /Content Security Policy|^Failed to load resource/;

const VIOLATION_LISTENER = `(() => {
  const digest = async (text) => {
    const bytes = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
    return "'sha256-" + btoa(String.fromCharCode(...bytes)) + "'";
  };
  document.addEventListener('securitypolicyviolation', (event) => {
    const target = event.target;
    const inlineStyle = event.blockedURI === 'inline' && target instanceof HTMLStyleElement ? (target.textContent || '') : undefined;
    const send = (hash) => window.__mikoCspViolation({
      directive: event.effectiveDirective,
      blockedUri: event.blockedURI || 'inline',
      sample: event.sample || (inlineStyle || '').slice(0, 60) || undefined,
      hash,
      disposition: event.disposition,
    });
    if (inlineStyle === undefined) send(); else digest(inlineStyle).then(send);
  }, true);
})();`;

/** Installs the violation listener before any of the page's code runs, in every page of the context. */
async function watchViolations(context: BrowserContext, report: (violation: CspViolation) => void): Promise<void> {
  await context.exposeFunction('__mikoCspViolation', (violation: CspViolation) => report(violation));
  // A string, not a function: a function is passed as its transpiled source, and what a transpiler adds to it
  // (tsx's keepNames helper, a coverage counter) would not exist inside the page.
  await context.addInitScript(VIOLATION_LISTENER);
}

export interface BrowseOptions {
  /** Called on each page after it settles, to exercise the app (open a dialog, show a toast); tests use it. */
  readonly interact?: (page: Page, path: string) => Promise<void>;
  /** Filled with the outside requests the stand-ins answered without knowing their real shape. */
  readonly unchecked?: Unchecked;
}

/** Visits each path of the site at `siteUrl` in one fresh context and returns every finding. */
export async function browseSite(
  browser: Browser,
  siteUrl: string,
  paths: readonly string[],
  options: BrowseOptions = {},
): Promise<Finding[]> {
  const origin = new URL(siteUrl).origin;
  const context = await browser.newContext();
  const findings: Finding[] = [];
  // A refusal's reason is in its body, read after the fact: awaited before the findings are returned.
  const reasons: Array<Promise<void>> = [];
  let uncheckedOfThisRun: Unchecked | undefined;
  let currentPath = paths[0] ?? '/';
  try {
    uncheckedOfThisRun = await standInForTheOutsideWorld(context, origin);
    await watchViolations(context, (violation) => findings.push({ kind: 'csp', path: currentPath, violation }));
    const page = await context.newPage();
    page.on('console', (message) => {
      // Chromium also logs each CSP violation and each failed load; those are reported once, as what they are.
      if (message.type() === 'error' && !DUPLICATES_OF_OTHER_FINDINGS.test(message.text()))
        findings.push({ kind: 'console', path: currentPath, text: message.text() });
    });
    page.on('pageerror', (error) =>
      findings.push({ kind: 'console', path: currentPath, text: `uncaught ${error.name}: ${error.message}` }),
    );
    page.on('requestfailed', (request) => {
      if (new URL(request.url()).origin === origin)
        findings.push({
          kind: 'request',
          path: currentPath,
          url: new URL(request.url()).pathname,
          failure: request.failure()?.errorText ?? 'failed',
        });
    });
    page.on('response', (response) => {
      if (new URL(response.url()).origin !== origin || response.status() < 400) return;
      const finding = {
        kind: 'request' as const,
        path: currentPath,
        url: new URL(response.url()).pathname,
        failure: `HTTP ${response.status()}`,
      };
      // The collector and the health API say why in their body; a missing file's body is S3's, not worth reading.
      if (!/^\/(?:_telemetry|health)\b/.test(finding.url)) return void findings.push(finding);
      reasons.push(
        response
          .text()
          .then((body) => findings.push({ ...finding, answer: body.slice(0, 200) }))
          .catch(() => findings.push(finding))
          .then(() => undefined),
      );
    });
    for (const path of paths) {
      currentPath = path;
      await page.goto(new URL(path, origin).toString(), { waitUntil: 'load', timeout: NAVIGATION_TIMEOUT_MS });
      await page.waitForLoadState('networkidle', { timeout: NAVIGATION_TIMEOUT_MS }).catch(() => undefined);
      await page.waitForTimeout(SETTLE_MS);
      if (options.interact) {
        await options.interact(page, path);
        await page.waitForTimeout(SETTLE_MS);
      }
    }
    await Promise.all(reasons);
  } finally {
    await context.close();
  }
  for (const request of uncheckedOfThisRun ?? []) options.unchecked?.add(request);
  // A library that inserts the same <style> twice is one thing to fix.
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = JSON.stringify(f);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
