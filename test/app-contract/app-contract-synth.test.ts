/** Synth of a build that breaks the app contract exits non-zero, names each problem, and writes nothing. */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { TYPESCRIPT_NODE_ARGS } from '../support/run-script';
import { testTempDir } from '../support/temp-dir';
import { buildDir, sbSecret } from './builds';

const ROOT = join(__dirname, '..', '..');

it('makes synth exit non-zero, listing the problems and writing nothing', () => {
  const bad = buildDir({
    'index.html': '<html><head><script>alert(1)</script></head></html>',
    'assets/app-Ab12Cd34.js': `k="${sbSecret}"`,
  });
  const outdir = testTempDir('miko-contract-out-');
  const run = spawnSync(process.execPath, [...TYPESCRIPT_NODE_ARGS, join(ROOT, 'bin', 'app.ts')], {
    cwd: ROOT,
    env: { ...process.env, MIKO_APP_DIST: bad, CDK_OUTDIR: outdir },
    encoding: 'utf8',
  });
  expect(run.status).toBe(1);
  expect(run.stderr).toMatch(/breaks the app contract .* in 2 places; nothing was synthesized/);
  expect(run.stderr).toMatch(/assets\/app-Ab12Cd34\.js:1: holds a Supabase secret API key/);
  expect(run.stderr).toMatch(/index\.html:1: an inline <script>/);
  expect(run.stderr).not.toContain(sbSecret);
  expect(readdirSync(outdir)).toEqual([]);
});
