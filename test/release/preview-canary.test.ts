/**
 * Local first: the preview of staging's SYNTHESIZED site (the tests synthesize the real fixture app,
 * test/fixtures/real-app) with a second, small build as the canary beside it, both served through the synthesized functions from the preview's release stand-in;
 * `npm run release` and `npm run flag` change that stand-in through AWS_ENDPOINT_URL, and the next request shows it.
 */
import type { Server } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAppConfig } from '../../lib/config';
import { clientsFrom } from '../../scripts/lib/release-aws';
import { withCanaryDist } from '../../scripts/preview/canary-release';
import { startReleaseStandIn } from '../../scripts/preview/release-store';
import { main as flag } from '../../scripts/flag';
import { main as release } from '../../scripts/release';
import type { FakeSiteAws } from '../../tools/stand-ins/release-aws';
import { siteModel, startPreview } from '../support/preview';
import { testTempDir } from '../support/temp-dir';

/** A second honest build: an entry that imports a lazy chunk, hashed names, no inline script. */
function canaryBuild(): string {
  const dist = testTempDir('miko-canary-dist-');
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'assets', 'Lazy-Ab12Cd34.js'), 'export const later = 1;\n');
  writeFileSync(join(dist, 'assets', 'index-Ef56Gh78.js'), 'import("/assets/Lazy-Ab12Cd34.js");\n');
  writeFileSync(
    join(dist, 'index.html'),
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>MiKO</title>' +
      '<script type="module" src="/assets/index-Ef56Gh78.js"></script></head><body><div id="root"></div></body></html>\n',
  );
  return dist;
}
let aws: FakeSiteAws;
let server: Server;
let url: string;
let live: string;
let canary: string;

beforeAll(async () => {
  const base = siteModel('staging');
  live = base.keyValueStore.get('live-release')!;
  const { model, canaryRelease } = withCanaryDist(base, loadAppConfig().staging, canaryBuild());
  canary = canaryRelease;
  aws = await startReleaseStandIn(model, 'Staging-Site', canary, 10);
  ({ server, url } = await startPreview(model, undefined, aws.store));
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await aws.close();
});

/** What a command run as `AWS_ENDPOINT_URL=<stand-in> npm run …` gets. */
const io = () => ({
  out: () => undefined,
  err: (line: string) => {
    throw new Error(line);
  },
  clients: clientsFrom({ AWS_ENDPOINT_URL: aws.url, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' }),
  who: 'local:preview',
});

const get = (path: string, bucket: number) => fetch(`${url}${path}`, { headers: { cookie: `miko-bucket=${bucket}` } });

/** The page a browser of `bucket` gets, and every script it names (the live fixture app's lazy chunk included). */
async function pageAndScripts(bucket: number, lazy: string[] = []) {
  const page = await get('/booking', bucket);
  const html = await page.text();
  const scripts = [...html.matchAll(/src="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  const answers = [];
  for (const path of [...scripts, ...lazy]) {
    const chunk = await get(path, bucket);
    answers.push([path, chunk.status, chunk.headers.get('x-miko-release')]);
  }
  return { release: page.headers.get('x-miko-release'), html, answers };
}

it('serves the canary build to its bucket and live to the others: page, chunks, config.json, version.json', async () => {
  const onCanary = await pageAndScripts(0, ['/assets/Lazy-Ab12Cd34.js']);
  expect(onCanary.release).toBe(canary);
  expect(onCanary.html).toContain(`<meta name="miko-build" content="${canary}">`);
  expect(onCanary.answers.length).toBeGreaterThan(0);
  expect(onCanary.answers).toEqual(onCanary.answers.map(([path]) => [path, 200, canary]));
  expect(((await (await get('/config.json', 0)).json()) as { release: string }).release).toBe(canary);

  const onLive = await pageAndScripts(9_999, ['/assets/Booking-DyavlsJ2.js']);
  expect(onLive.release).toBe(live);
  expect(onLive.answers).toEqual(onLive.answers.map(([path]) => [path, 200, live]));
  expect(((await (await get('/version.json', 9_999)).json()) as { release: string }).release).toBe(live);
});

it('npm run release --abort through AWS_ENDPOINT_URL: the next request of a canary browser is live', async () => {
  expect(await release(['--env', 'staging', '--abort', '--reason', 'looks wrong locally'], io())).toBe(0);
  expect((await get('/', 0)).headers.get('x-miko-release')).toBe(live);
  expect(await release(['--env', 'staging', '--canary', canary, '--weight', '50', '--reason', 'again'], io())).toBe(0);
  expect((await get('/', 4_999)).headers.get('x-miko-release')).toBe(canary);
});

it('npm run flag through AWS_ENDPOINT_URL: the flip is in the next /flags.json, no synth', async () => {
  expect(((await (await get('/flags.json', 1)).json()) as Record<string, boolean>).researchAgent).toBe(true);
  const started = performance.now();
  expect(await flag(['--env', 'staging', '--set', 'researchAgent=false', '--reason', 'try it off'], io())).toBe(0);
  expect(((await (await get('/flags.json', 1)).json()) as Record<string, boolean>).researchAgent).toBe(false);
  expect(performance.now() - started).toBeLessThan(5_000);
});
