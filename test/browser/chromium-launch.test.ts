/**
 * The Chromium every browser test and check-app start (scripts/lib/chromium.ts): it keeps the features Playwright
 * turns off, and it preloads no browser UI for the windows a test opens (each would cost a renderer).
 */
import { readFileSync } from 'node:fs';
import { launchChromium, PLAYWRIGHT_DISABLED_FEATURES } from '../../scripts/lib/chromium';

/** The features the installed playwright-core turns off, as its source lists them. */
function playwrightsOwnList(): string[] {
  const source = readFileSync(require.resolve('playwright-core/lib/coreBundle'), 'utf8');
  const list = /disabledFeatures = \[([\s\S]*?)\]/.exec(source)?.[1];
  if (!list)
    throw new Error(
      'playwright-core no longer lists its disabled features as "disabledFeatures = [...]": find the list and update this test',
    );
  return [...list.replace(/\/\/.*$/gm, '').matchAll(/"([^"]+)"/g)].map((match) => match[1]);
}

it('turns off every feature Playwright turns off (a later --disable-features would otherwise drop them)', () => {
  expect(PLAYWRIGHT_DISABLED_FEATURES).toEqual(playwrightsOwnList());
});

it('opens pages with no browser UI preloaded beside them', async () => {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto("data:text/html,<p>a patient's page</p>");
    // The omnibox's dropdown is created a moment after the window.
    await page.waitForTimeout(500);
    const cdp = await browser.newBrowserCDPSession();
    const { targetInfos } = await cdp.send('Target.getTargets');
    expect(targetInfos.map((target) => target.type)).toEqual(['page']);
  } finally {
    await browser.close();
  }
});
