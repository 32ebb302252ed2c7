/**
 * The MDN HTTP Observatory's score of a response, computed offline by its own analyzer (observatory-analyze.mjs),
 * so tests and `verify --score` report what observatory.mozilla.org would. What it cannot see offline is given as
 * true of our distributions: a valid certificate, http:// redirecting to https://, no host on the HSTS preload list.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE_ROOT, cacheKeyOf, DiskCache } from '../../tools/synth/disk-cache';

export interface ObservatoryTest {
  /** The Observatory's expectation id, e.g. "csp-implemented-with-no-unsafe". */
  readonly result: string;
  readonly pass: boolean;
  /** Points this test adds or takes away. */
  readonly scoreModifier: number;
  readonly scoreDescription: string;
}

export interface ObservatoryResult {
  readonly algorithmVersion: number;
  readonly score: number;
  readonly grade: string;
  readonly testsPassed: number;
  readonly testsQuantity: number;
  /** By the Observatory's test name: "content-security-policy", "subresource-integrity", … */
  readonly tests: Readonly<Record<string, ObservatoryTest>>;
}

export interface ObservatoryInput {
  /** Response headers of `/` (names in any case). */
  readonly headers: Readonly<Record<string, string>>;
  /** The HTML served at `/` (Subresource Integrity and `<meta http-equiv>` are read from it). */
  readonly html?: string;
  /** The site's host name; it decides which scripts are external. Default "app.example.com". */
  readonly hostname?: string;
  /** Whether http:// redirects to https:// (CloudFront's redirect-to-https). Default true. */
  readonly redirectsToHttps?: boolean;
}

const ANALYZER = join(__dirname, 'observatory-analyze.mjs');

/** A result depends only on the response, the analyzer and its version: remembered per response (disk-cache.ts). */
export const OBSERVATORY_CACHE_DIR = join(CACHE_ROOT, 'miko-observatory');
const isResult = (stored: unknown): stored is ObservatoryResult =>
  typeof stored === 'object' && stored !== null && typeof (stored as ObservatoryResult).score === 'number';
const ANALYZER_IDENTITY = cacheKeyOf(
  readFileSync(ANALYZER),
  readFileSync(require.resolve('@mdn/mdn-http-observatory/package.json')),
);

const withDefaults = (input: ObservatoryInput) => ({
  hostname: input.hostname ?? 'app.example.com',
  headers: input.headers,
  html: input.html ?? '',
  redirectsToHttps: input.redirectsToHttps ?? true,
});

function runAnalyzer(payload: readonly unknown[]): ObservatoryResult[] {
  const out = execFileSync(process.execPath, [ANALYZER], {
    input: JSON.stringify(payload),
    encoding: 'utf8',
    cwd: join(__dirname, '..', '..'),
  });
  return JSON.parse(out);
}

/** Scores one response with the real Observatory. */
export function observatoryScore(input: ObservatoryInput): ObservatoryResult {
  return observatoryScores([input])[0];
}

/** Scores many responses (e.g. a header set with and without each opt-in), in order: those not remembered in one child process. */
export function observatoryScores(
  inputs: readonly ObservatoryInput[],
  cacheDir = OBSERVATORY_CACHE_DIR,
): ObservatoryResult[] {
  const cache = new DiskCache(cacheDir, isResult);
  const scored = inputs.map(withDefaults).map((input) => {
    const key = cacheKeyOf(ANALYZER_IDENTITY, JSON.stringify(input));
    return { input, key, result: cache.read(key) };
  });
  const missing = scored.filter((entry) => entry.result === undefined);
  if (missing.length > 0) {
    runAnalyzer(missing.map((entry) => entry.input)).forEach((result, i) => {
      missing[i].result = result;
      cache.write(missing[i].key, result);
    });
  }
  cache.pruneUnused();
  return scored.map((entry) => entry.result!);
}
