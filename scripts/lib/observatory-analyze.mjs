/**
 * Runs the MDN HTTP Observatory's own analyzer and grader, as `scan()` combines them minus the network, on the JSON
 * `{ hostname, headers, html, redirectsToHttps }` (or a list) on stdin; prints the result as JSON. A child process
 * because the package is ESM-only and reads a data file relative to itself, which jest cannot host.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';

// The package's postinstall downloads Chromium's HSTS preload list into conf/hsts-preload.json; with no internet
// (and `ignore-scripts` in .npmrc) it is absent. An empty list is the truth for our hosts: none is preloaded.
const readFileSync = fs.readFileSync;
fs.readFileSync = function patchedReadFileSync(path, ...rest) {
  if (String(path).endsWith('hsts-preload.json') && !fs.existsSync(path)) return '{}';
  return readFileSync.call(this, path, ...rest);
};

const { ALL_TESTS, NUM_TESTS, ALGORITHM_VERSION } = await import('@mdn/mdn-http-observatory/src/constants.js');
const { Requests } = await import('@mdn/mdn-http-observatory/src/types.js');
const { parseHttpEquivHeaders } = await import('@mdn/mdn-http-observatory/src/retriever/utils.js');
const { getGradeForScore, getScoreDescription, getScoreModifier } =
  await import('@mdn/mdn-http-observatory/src/grader/grader.js');
const { MINIMUM_SCORE_FOR_EXTRA_CREDIT } = await import('@mdn/mdn-http-observatory/src/grader/charts.js');
// The analyzer reads headers through axios's AxiosHeaders (as its retriever records them): the package's own axios.
const packageRequire = createRequire(import.meta.resolve('@mdn/mdn-http-observatory/package.json'));
const { AxiosHeaders } = packageRequire('axios');

/** The Observatory's result for one `{ hostname, headers, html, redirectsToHttps }`. */
function analyze(input) {
  const https = new URL(`https://${input.hostname}/`);
  const http = new URL(`http://${input.hostname}/`);
  const headers = new AxiosHeaders(
    Object.fromEntries(Object.entries(input.headers).map(([name, value]) => [name.toLowerCase(), value])),
  );
  const response = { status: 200, headers, verified: true, data: input.html ?? '' };

  // What the retriever would have recorded for a CloudFront distribution with redirect-to-https.
  const requests = new Requests(input.hostname);
  requests.resources.path = input.html ?? null;
  requests.responses.auto = {
    ...response,
    httpEquiv: input.html ? parseHttpEquivHeaders(input.html, https.href) : new Map(),
  };
  requests.responses.https = response;
  requests.responses.cors = response;
  requests.session = { url: https, redirectHistory: [{ url: https, status: 200 }], response };
  if (input.redirectsToHttps !== false) {
    requests.responses.http = { status: 301, headers: new AxiosHeaders({ location: https.href }), verified: true };
    requests.responses.httpRedirects = [
      { url: http, status: 301 },
      { url: https, status: 200 },
    ];
  } else {
    requests.responses.http = { ...response };
    requests.responses.httpRedirects = [{ url: http, status: 200 }];
  }

  // The grading loop of the package's scanner (src/scanner/index.js), unchanged in substance.
  let testsPassed = 0;
  let scoreWithExtraCredit = 100;
  let uncurvedScore = 100;
  const tests = {};
  for (const test of ALL_TESTS) {
    const result = test(requests);
    if (result.result) {
      result.scoreDescription = getScoreDescription(result.result);
      result.scoreModifier = getScoreModifier(result.result);
      testsPassed += result.pass ? 1 : 0;
      scoreWithExtraCredit += result.scoreModifier;
      if (result.scoreModifier < 0) uncurvedScore += result.scoreModifier;
    }
    tests[result.constructor.name] = {
      result: result.result,
      pass: result.pass,
      scoreModifier: result.scoreModifier,
      scoreDescription: result.scoreDescription,
    };
  }
  const final = getGradeForScore(
    uncurvedScore >= MINIMUM_SCORE_FOR_EXTRA_CREDIT ? scoreWithExtraCredit : uncurvedScore,
  );
  return {
    algorithmVersion: ALGORITHM_VERSION,
    score: final.score,
    grade: final.grade,
    testsPassed,
    testsQuantity: NUM_TESTS,
    tests,
  };
}

// One response or a list of them (one process start for many variants of a header set).
const input = JSON.parse(readFileSync(0, 'utf8'));
process.stdout.write(JSON.stringify(Array.isArray(input) ? input.map(analyze) : analyze(input)));
