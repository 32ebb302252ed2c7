/**
 * `npm run check-app` end to end (synth + preview + Chromium), as the app's CI runs it: the fixture app is clean
 * under the committed config (read from the tests' synthesized app with `--assembly`, which releases the fixture
 * app, so only one run here pays a synth); a build with a need the config does not declare fails, naming the
 * directive, what was blocked and the config change that would allow it.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArguments } from '../../scripts/check-app';
import { testAssemblyDir } from '../support/cached-assembly';

const ROOT = join(__dirname, '..', '..');
const CHECK_APP_TIMEOUT_MS = 180_000;

function checkApp(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'check-app.ts'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: CHECK_APP_TIMEOUT_MS });
}

/** A build that loads a map tile from an origin no environment declares in img-src. */
function buildWithUndeclaredImageOrigin(): string {
  const dir = mkdtempSync(join(tmpdir(), 'miko-undeclared-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><html><head><script type="module" src="/assets/app-1a2b3c4d.js"></script></head><body></body></html>');
  writeFileSync(join(dir, 'assets', 'app-1a2b3c4d.js'), "const tile = new Image(); tile.src = 'https://maps.gstatic.com/mapfiles/tile.png'; document.body.append(tile);\n");
  return dir;
}

describe('npm run check-app', () => {
  it('passes the fixture app on / and a deep link under staging\'s headers', () => {
    const assembly = testAssemblyDir();
    const run = checkApp('--env', 'staging', '--assembly', assembly, '--path', '/booking/confirm');
    expect(run.stdout).toContain(`check-app: staging (Content-Security-Policy), build synthesized in ${assembly}, release `);
    expect(run.stdout).toMatch(/ {2}\/: ok\n {2}\/booking\/confirm: ok/);
    expect(run.stdout).toMatch(/clean: no CSP violation, failed request or console error/);
    expect(run.status).toBe(0);
  }, CHECK_APP_TIMEOUT_MS);

  it('fails a build with an undeclared need, with the directive, the blocked URI and the fix', () => {
    const run = checkApp('--env', 'production', '--dist', buildWithUndeclaredImageOrigin());
    expect(run.stdout).toMatch(/- CSP img-src blocked https:\/\/maps\.gstatic\.com\/mapfiles\/tile\.png\. Add "https:\/\/maps\.gstatic\.com" to csp\['img-src'\]/);
    expect(run.status).toBe(1);
  }, CHECK_APP_TIMEOUT_MS);

  it('refuses a bad argument before doing any work', () => {
    const run = checkApp('--env', 'qa');
    expect(run.stderr).toMatch(/--env must be one of staging, production/);
    expect(run.status).toBe(1);
    expect(() => parseArguments(['--env', 'staging', '--dist', 'dist', '--assembly', 'cdk.out'])).toThrow(/--dist and --assembly exclude each other.*Fix:/);
  });
});
