/**
 * End to end in Chromium: the fixture page (the real telemetry module in its own bundle, no inline script) under
 * staging's synthesized headers, served by the preview, whose `/_telemetry/*` runs the real collector against
 * local DynamoDB and SNS stand-ins. A thrown error becomes a stored, fingerprinted event and a new kind; the same
 * error again is known; a different one is new. A CSP violation reaches the collector with its query string gone,
 * also from the real fixture app (test/fixtures/real-app) once a declaration it needs is removed from the policy.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { startLocalDynamoDb, LocalDynamoDb } from '../../tools/stand-ins/dynamodb';
import { LocalSns, startLocalSns } from '../../tools/stand-ins/sns';
import { contentTypeOf } from '../../scripts/preview/content-type';
import type { SiteModel, StoredObject } from '../../scripts/preview/site-model';
import { vocabularyDocumentOf, vocabularyFrom } from '../../lambda/telemetry/vocabulary';
import { launchChromium } from '../support/browser';
import { siteModel, startPreview, withPolicyHeader } from '../support/preview';

const FIXTURE = join(__dirname, 'fixture');
const CLIENT_MODULE = join(__dirname, '..', '..', 'client', 'miko-telemetry.js');

function stored(body: Buffer): StoredObject {
  return { body, contentType: '', cacheControl: 'no-cache', etag: `"${createHash('md5').update(body).digest('hex')}"` };
}

/** The synthesized site with the fixture page as the live release's index.html and its scripts under /assets/. */
function withFixture(model: SiteModel): SiteModel {
  const release = model.keyValueStore.get('live-release');
  const objects = new Map(model.objects);
  const add = (key: string, body: Buffer) => objects.set(key, { ...stored(body), contentType: contentTypeOf(key) });
  add(`releases/${release}/index.html`, readFileSync(join(FIXTURE, 'index.html')));
  for (const file of readdirSync(join(FIXTURE, 'assets')))
    add(`assets/${file}`, readFileSync(join(FIXTURE, 'assets', file)));
  add('assets/miko-telemetry.js', readFileSync(CLIENT_MODULE));
  // Headless Chromium's Reporting API does not deliver in time: without `report-to` it uses `report-uri` (the batch
  // path is covered in collector.test.ts). The collector keeps this page's words and routes, as its synth would.
  const build = new Map([...objects].filter(([key]) => key.startsWith('assets/')).map(([key, o]) => [key, o.body]));
  const telemetryVocabulary = vocabularyFrom(vocabularyDocumentOf(build));
  return withPolicyHeader({ ...model, objects, telemetryVocabulary }, (name, value) => [
    name,
    value.replace(/; report-to [^;]+/, ''),
  ]);
}

let browser: Browser;
let dynamodb: LocalDynamoDb;
let sns: LocalSns;
let server: Server;
let url: string;
let release: string | undefined;
const lines: Array<Record<string, any>> = [];

beforeAll(async () => {
  browser = await launchChromium();
  dynamodb = await startLocalDynamoDb();
  sns = await startLocalSns();
  const model = withFixture(siteModel('staging'));
  release = model.keyValueStore.get('live-release');
  ({ server, url } = await startPreview(model, {
    dynamodbUrl: dynamodb.url,
    snsUrl: sns.url,
    write: (line) => lines.push(JSON.parse(line)),
  }));
});
afterAll(async () => {
  await browser?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await dynamodb?.close();
  await sns?.close();
});

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; lines so far: ${JSON.stringify(lines)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Opens the page and keeps it open until `arrived` (Reporting API reports belong to their document). */
async function visit<T>(path: string, arrived: () => T | undefined, what: string): Promise<T> {
  const page = await browser.newPage();
  try {
    await page.goto(`${url}${path}`);
    await page.waitForSelector('#state:text("ready")');
    return await until(what, arrived);
  } finally {
    await page.close();
  }
}

const errorLines = () => lines.filter((l) => l.event === 'client-error');
const kindsTable = () => [...dynamodb.tables.values()][0];
/** The table's kinds, without the budget's and the notice caps' counters kept beside them. */
const kinds = () => [...kindsTable().keys()].filter((key) => !/^(budget|notices)#/.test(key));

it('a thrown error is a new kind once, the same error again is known, a different one is new', async () => {
  const first = await visit('/book?email=jane.doe@example.com#throw=alpha', () => errorLines()[0], 'the first error');
  expect(first).toMatchObject({
    message: 'Fixture failure alpha',
    novelty: 'new',
    NewClientErrorKinds: 1,
    ClientErrors: 1,
    path: '/book',
    release,
    browser: 'Chrome',
    source: 'error',
    notified: true,
  });
  expect(first.stack).toMatch(/submitBooking/);
  expect(first._aws.CloudWatchMetrics[0].Metrics).toContainEqual({
    Name: 'NewClientErrorKinds',
    Unit: 'Count',
    StorageResolution: 1,
  });
  expect(first.liveRelease).toBe(release);
  expect(kindsTable().get(`staging#${release}#${first.fingerprint}`)).toBeDefined();
  expect(sns.published[0].subject).toContain(first.fingerprint);

  const second = await visit('/book#throw=alpha', () => errorLines()[1], 'the same error again');
  expect(second).toMatchObject({ fingerprint: first.fingerprint, novelty: 'known', ClientErrors: 1 });
  expect(second.NewClientErrorKinds).toBeUndefined();

  const third = await visit('/book#throw=beta', () => errorLines()[2], 'a different error');
  expect(third.fingerprint).not.toBe(first.fingerprint);
  expect(third.novelty).toBe('new');
  expect(kinds()).toHaveLength(2);
  expect(JSON.stringify(lines)).not.toMatch(/jane|email=/);
});

it('a CSP violation reaches the collector with the query strings gone from what was stored', async () => {
  const report = await visit(
    '/book?email=jane.doe@example.com#csp',
    () => lines.find((l) => l.event === 'csp-violation'),
    'a CSP report',
  );
  expect(report).toMatchObject({
    directive: 'img-src',
    disposition: 'enforce',
    documentPath: '/book',
    // The origin is what a CSP fix needs; a path the release does not name could be anything.
    blockedUri: 'https://blocked.example/:id',
    Environment: 'staging',
    CspViolations: 1,
  });
  const stored = JSON.stringify(lines.filter((l) => l.event === 'csp-violation'));
  expect(stored).not.toMatch(/jane|email|dob|1980|\?/);
});

it('page views arrive with the live release', async () => {
  const view = await until('a page view', () => lines.find((l) => l.event === 'web-vitals' && l.pageView));
  expect(view).toMatchObject({ PageViews: 1, release, routeGroup: '/book' });
});

it('the real fixture app with a declaration removed: its violation reaches the collector, query string gone', async () => {
  // As if `data:` were removed from csp['img-src']: the synthesized policy without it (Vite inlines the logo).
  const model = siteModel('staging');
  const withoutDataImages = withPolicyHeader(model, (name, value) => [
    name,
    value.replace(/img-src 'self' data:/, "img-src 'self'").replace(/; report-to [^;]+/, ''),
  ]);
  expect(JSON.stringify(withoutDataImages.behaviours)).not.toContain("img-src 'self' data:");
  const app = await startPreview(withoutDataImages, {
    dynamodbUrl: dynamodb.url,
    snsUrl: sns.url,
    write: (line) => lines.push(JSON.parse(line)),
  });
  const page = await browser.newPage();
  try {
    await page.goto(`${app.url}/?email=jane.doe@example.com&dob=1980-01-01`);
    const report = await until('the img-src report', () =>
      lines.find((l) => l.event === 'csp-violation' && l.directive === 'img-src' && l.blockedUri === 'data:'),
    );
    expect(report).toMatchObject({ disposition: 'enforce', documentPath: '/', Environment: 'staging' });
    expect(JSON.stringify(report)).not.toMatch(/jane|email|dob|1980|\?/);
  } finally {
    await page.close();
    app.server.closeAllConnections();
    await new Promise((resolve) => app.server.close(resolve));
  }
});
