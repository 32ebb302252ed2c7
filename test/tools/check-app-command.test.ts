/**
 * `npm run check-app` end to end (synth + preview + Chromium), as the app's CI runs it: the fixture app is clean
 * under the committed config (read with `--assembly` from the tests' synthesized app, which releases the fixture
 * app, so only one run here pays a synth); a build with a need the config does not declare fails on / and on a deep
 * link, naming the directive, what was blocked and the config change that would allow it. Bad arguments are refused
 * (in process). The fixture app's own deep links are browser/fixture-app.test.ts's: each costs Chromium an app load.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../scripts/check-app';
import { describeFinding } from '../../scripts/check-app/findings';
import { testAssemblyDir } from '../support/cached-assembly';
import { runMain, runScript } from '../support/run-script';
import { testTempDir } from '../support/temp-dir';

const CHECK_APP_TIMEOUT_MS = 180_000;

/** A build that loads a map tile from an origin no environment declares in img-src. */
function buildWithUndeclaredImageOrigin(): string {
  const dir = testTempDir('miko-undeclared-');
  mkdirSync(join(dir, 'assets'));
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><html><head><script type="module" src="/assets/app-1a2b3c4d.js"></script></head><body></body></html>',
  );
  writeFileSync(
    join(dir, 'assets', 'app-1a2b3c4d.js'),
    "const tile = new Image(); tile.src = 'https://maps.gstatic.com/mapfiles/tile.png'; document.body.append(tile);\n",
  );
  return dir;
}

/** A build like the committed sample: the platform's telemetry module, which posts a page view to /_telemetry/vitals. */
function buildThatReports(): string {
  const dir = testTempDir('miko-reports-');
  const module = readFileSync(join(__dirname, '..', '..', 'client', 'miko-telemetry.js'));
  const name = `miko-telemetry-${createHash('sha256').update(module).digest('hex').slice(0, 8)}.js`;
  mkdirSync(join(dir, 'assets'));
  writeFileSync(
    join(dir, 'index.html'),
    `<!doctype html><html><head><script type="module" src="/assets/${name}"></script></head><body></body></html>`,
  );
  writeFileSync(join(dir, 'assets', name), module);
  return dir;
}

describe('npm run check-app', () => {
  it(
    "runs the collector as the preview does: a build's own reports are accepted, not a failed request",
    async () => {
      const run = await runScript('scripts/check-app.ts', ['--env', 'staging', '--dist', buildThatReports()], {
        timeoutMs: CHECK_APP_TIMEOUT_MS,
      });
      expect(run.stdout).toMatch(/ {2}\/: ok\n/);
      expect(run.stdout).toMatch(/telemetry: the collector accepted [1-9]\d* event line\(s\) from the app/);
      expect(run.code).toBe(0);
    },
    CHECK_APP_TIMEOUT_MS,
  );

  it.each([
    [
      '/_telemetry/vitals',
      'HTTP 400',
      '{"error":"vitals: send a page view or at least one metric"}',
      /telemetry collector refused what the app sent.*client-telemetry\.md/,
    ],
    ['/assets/Booking-1a2b3c4d.js', 'HTTP 404', undefined, /not in the release\. Fix: deploy every file of the build/],
    ['/config.json', 'HTTP 404', undefined, /The deploy writes this file per environment/],
    ['/logo.png', 'HTTP 404', undefined, /No file of the build has this path/],
  ])('says which part answered a failed same-origin %s', (url, failure, answer, advice) => {
    const text = describeFinding({ kind: 'request', path: '/', url, failure, ...(answer && { answer }) });
    expect(text).toMatch(advice);
    if (answer) expect(text).toContain(answer);
    if (url !== '/assets/Booking-1a2b3c4d.js') expect(text).not.toMatch(/deploy every file/);
  });

  it(
    "passes the fixture app under staging's headers",
    async () => {
      const assembly = testAssemblyDir();
      const run = await runScript('scripts/check-app.ts', ['--env', 'staging', '--assembly', assembly], {
        timeoutMs: CHECK_APP_TIMEOUT_MS,
      });
      expect(run.stdout).toContain(
        `check-app: staging (Content-Security-Policy), build synthesized in ${assembly}, release `,
      );
      expect(run.stdout).toMatch(/ {2}\/: ok\n/);
      expect(run.stdout).toMatch(/clean: no CSP violation, failed request or console error/);
      expect(run.code).toBe(0);
    },
    CHECK_APP_TIMEOUT_MS,
  );

  it(
    'fails a build with an undeclared need on / and a deep link, with the directive, the blocked URI and the fix',
    async () => {
      const run = await runScript(
        'scripts/check-app.ts',
        ['--env', 'production', '--dist', buildWithUndeclaredImageOrigin(), '--path', '/clinic/map'],
        { timeoutMs: CHECK_APP_TIMEOUT_MS },
      );
      const finding =
        'CSP img-src blocked https://maps.gstatic.com/mapfiles/tile.png. Add "https://maps.gstatic.com" to csp[\'img-src\']';
      for (const path of ['/', '/clinic/map']) expect(run.stdout).toContain(`\n  ${path}: 1 problem\n    - ${finding}`);
      expect(run.code).toBe(1);
    },
    CHECK_APP_TIMEOUT_MS,
  );

  it('refuses a bad argument before doing any work', async () => {
    const badEnv = await runMain(main, ['--env', 'qa']);
    expect(badEnv.stderr).toMatch(/--env is "qa"\. Fix: --env staging or --env production\./);
    expect(badEnv.code).toBe(2);
    expect(badEnv.stderr).toMatch(/^usage: npm run check-app/m);
    const both = await runMain(main, ['--env', 'staging', '--dist', 'dist', '--assembly', 'cdk.out']);
    expect(both.stderr).toMatch(/--dist and --assembly exclude each other.*Fix:/);
    expect(both.code).toBe(2);
  });
});
