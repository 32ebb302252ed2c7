/**
 * The real MDN HTTP Observatory (its analyzer and grader, run offline by scripts/lib/observatory.ts) on header sets
 * good and bad: these are the package's verdicts, so a test here fails when a header weakens or the algorithm moves.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { observatoryScores, ObservatoryInput } from '../../scripts/lib/observatory';
import { testTempDir } from '../support/temp-dir';

const strong: Record<string, string> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self' https://api.example.com; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; upgrade-insecure-requests",
  'Strict-Transport-Security': 'max-age=63072000; includeSubDomains; preload',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};
const withSri =
  '<!doctype html><html><head><script type="module" src="/assets/app.js" integrity="sha384-abc" crossorigin="anonymous"></script></head></html>';
const change = (edits: Record<string, string | undefined>): Record<string, string> =>
  Object.fromEntries(
    Object.entries({ ...strong, ...edits }).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );

// One child process for every case (each start costs about half a second).
const cases: Record<string, ObservatoryInput> = {
  strong: { headers: strong, html: withSri },
  withoutSri: { headers: strong, html: '<script type="module" src="/assets/app.js"></script>' },
  withCoop: { headers: change({ 'Cross-Origin-Opener-Policy': 'same-origin' }), html: withSri },
  unsafeInline: {
    headers: change({
      'Content-Security-Policy': "default-src 'self'; script-src 'self' 'unsafe-inline'; object-src 'none'",
    }),
    html: withSri,
  },
  reportOnly: {
    headers: change({
      'Content-Security-Policy': undefined,
      'Content-Security-Policy-Report-Only': strong['Content-Security-Policy'],
    }),
    html: withSri,
  },
  shortHsts: { headers: change({ 'Strict-Transport-Security': 'max-age=86400' }), html: withSri },
  externalScriptNoSri: { headers: strong, html: '<script src="https://cdn.other.org/x.js"></script>' },
  noRedirect: { headers: strong, html: withSri, redirectsToHttps: false },
  lowerCaseNames: {
    headers: Object.fromEntries(Object.entries(strong).map(([k, v]) => [k.toLowerCase(), v])),
    html: withSri,
  },
};
const names = Object.keys(cases);
const results = Object.fromEntries(observatoryScores(Object.values(cases)).map((result, i) => [names[i], result]));

describe('the MDN HTTP Observatory on our header sets', () => {
  it('scores the strong set with SRI 135 (A+): CSP +10, XFO via frame-ancestors +5, Referrer +5, CORP +10, SRI +5', () => {
    expect(results.strong).toMatchObject({
      score: 135,
      grade: 'A+',
      testsPassed: 10,
      testsQuantity: 10,
      algorithmVersion: 4,
    });
    expect(results.strong.tests['x-frame-options'].result).toBe('x-frame-options-implemented-via-csp');
  });

  it('does not score Cross-Origin-Opener-Policy in algorithm 4 (package 1.4.8): the same 135 with or without it', () => {
    expect(results.withCoop.algorithmVersion).toBe(4);
    expect(results.withCoop.score).toBe(results.strong.score);
  });

  it('takes SRI away when the module script has no integrity', () => {
    expect(results.withoutSri.tests['subresource-integrity'].scoreModifier).toBeLessThan(5);
    expect(results.withoutSri.score).toBeLessThan(results.strong.score);
  });

  it('penalizes unsafe-inline scripts and withholds every bonus below 90', () => {
    expect(results.unsafeInline.tests['content-security-policy']).toMatchObject({
      result: 'csp-implemented-with-unsafe-inline',
      scoreModifier: -20,
    });
    expect(results.unsafeInline.score).toBe(80);
    expect(results.unsafeInline.grade).toBe('B+');
  });

  it('treats a report-only policy as no policy', () => {
    expect(results.reportOnly.tests['content-security-policy'].scoreModifier).toBe(-25);
  });

  it('penalizes HSTS shorter than six months, external scripts without SRI, and http without a redirect', () => {
    expect(results.shortHsts.tests['strict-transport-security']).toMatchObject({
      result: 'hsts-implemented-max-age-less-than-six-months',
      scoreModifier: -10,
    });
    expect(results.externalScriptNoSri.tests['subresource-integrity']).toMatchObject({
      result: 'sri-not-implemented-but-external-scripts-loaded-securely',
      scoreModifier: -5,
    });
    expect(results.noRedirect.tests.redirection).toMatchObject({ result: 'redirection-missing', pass: false });
  });

  it('reads header names in any case', () => {
    expect(results.lowerCaseNames.score).toBe(results.strong.score);
  });
});

describe('remembered results', () => {
  // The analyzer's process, as observatory.ts starts it (a require of the real module, so the spy sees its calls).
  const childProcess = require('node:child_process') as typeof import('node:child_process');

  it('answers a response scored before without starting the analyzer, and scores an unreadable entry again', () => {
    const cache = testTempDir('miko-observatory-cache-');
    const analyzerRuns = jest.spyOn(childProcess, 'execFileSync');
    try {
      const inputs = [cases.strong, cases.shortHsts];
      expect(observatoryScores(inputs, cache)).toEqual([results.strong, results.shortHsts]);
      expect(analyzerRuns).toHaveBeenCalledTimes(1);
      expect(observatoryScores(inputs, cache)).toEqual([results.strong, results.shortHsts]);
      expect(analyzerRuns).toHaveBeenCalledTimes(1);

      for (const entry of readdirSync(cache)) writeFileSync(join(cache, entry), '{"score":');
      expect(observatoryScores([cases.strong], cache)).toEqual([results.strong]);
      expect(analyzerRuns).toHaveBeenCalledTimes(2);
    } finally {
      analyzerRuns.mockRestore();
    }
  });
});
