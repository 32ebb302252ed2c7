/** Repeat-visit bytes in real Chromium against the production preview: what a returning patient downloads again. */
import { launchChromium } from '../test/support/browser';
import { healthHandlerWith } from '../scripts/preview/handlers';
import { measureRepeatVisit } from '../scripts/preview/repeat-visit';
import { startPreviewServer } from '../scripts/preview/server';
import { loadSiteModel } from '../scripts/preview/site-model';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { printTable } from './measure';

export async function benchRepeatVisit(assembly: CloudAssembly): Promise<void> {
  const model = loadSiteModel(assembly, 'production');
  const { server, url } = await startPreviewServer(model, {
    healthHandler: healthHandlerWith(model.healthEnvironment),
  });
  const browser = await launchChromium();
  try {
    const { first, second } = await measureRepeatVisit(browser, `${url}/`);
    const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(1)} %`;
    printTable(
      'Repeat visit (Chromium, production headers and Cache-Control; target ≤ 5 % of body bytes)',
      ['visit', 'network requests', 'body bytes', 'wire bytes (with headers)'],
      [
        ['first', String(first.networkRequests), String(first.bodyBytes), String(first.wireBytes)],
        [
          'second',
          String(second.networkRequests),
          `${second.bodyBytes} (${pct(second.bodyBytes, first.bodyBytes)})`,
          `${second.wireBytes} (${pct(second.wireBytes, first.wireBytes)})`,
        ],
      ],
    );
  } finally {
    await browser.close();
    server.close();
  }
}
