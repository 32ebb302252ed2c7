/**
 * `npm run diff`: in a clone of this repository with a config change not yet committed, the diff against HEAD shows
 * exactly that change, with no AWS credentials and no AWS endpoint, and leaves no worktree or temporary folder.
 *
 * It is also the suite's test that a synth leaves no litter: the command runs two `cdk synth`s of one environment
 * (the base and the working tree) and a `cdk diff` with a temp dir of their own, which must hold nothing afterwards.
 */
import { execFile, execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TYPESCRIPT_NODE_ARGS } from '../support/run-script';
import { testTempDir } from '../support/temp-dir';

const run = promisify(execFile);
const REPO = join(__dirname, '..', '..');
/** Node's compile cache, kept under a fixed name and reused on every later run (not a per-run folder). */
const TOOL_CACHES = /^node-compile-cache$/;

/**
 * The clone sits at the same path on every run: Node's compile cache is keyed by file path, so at a new
 * path each run would compile the whole app again and add its entries to the caches for good.
 */
const CLONE = join(REPO, 'node_modules', '.cache', 'miko-diff-test-clone');
afterAll(() => rmSync(CLONE, { recursive: true, force: true }));

it('shows what the working tree changes in one environment, offline, and neither it nor its synths leave anything behind', async () => {
  rmSync(CLONE, { recursive: true, force: true });
  execFileSync('git', ['clone', '--quiet', '--shared', REPO, CLONE]);
  symlinkSync(join(REPO, 'node_modules'), join(CLONE, 'node_modules'), 'dir');
  const staging = join(CLONE, 'lib', 'config', 'environments', 'staging.ts');
  writeFileSync(
    staging,
    readFileSync(staging, 'utf8').replace('rateLimitPer5Minutes: 2000', 'rateLimitPer5Minutes: 3000'),
  );
  const tmp = testTempDir('miko-diff-tmp-');
  // No credentials, no profile, no instance metadata: a call to AWS would fail the command. The command's own litter
  // is what is checked, so it gets a temp dir of its own, but keeps the run's lasting compile cache (private-tmp.ts).
  const env = {
    PATH: process.env.PATH,
    HOME: testTempDir('miko-diff-home-'),
    TMPDIR: tmp,
    NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE,
    AWS_EC2_METADATA_DISABLED: 'true',
  };

  // As `npm run diff` runs it.
  const { stdout } = await run(
    process.execPath,
    [...TYPESCRIPT_NODE_ARGS, 'scripts/diff.ts', '--env', 'staging', '--base', 'HEAD'],
    { cwd: CLONE, env, timeout: 180_000, maxBuffer: 16 * 1024 * 1024 },
  );

  const sections = Object.fromEntries(
    stdout
      .split(/^## /m)
      .slice(1)
      .map((section) => [section.split('\n')[0], section]),
  );
  // Every stack of staging (inside the stage, and its CiAccess beside it), none of production's.
  expect(Object.keys(sections)).toEqual(
    expect.arrayContaining([
      'Staging-CiAccess',
      'Staging/Data',
      'Staging/Health',
      'Staging/Site',
      'Staging/Monitoring',
    ]),
  );
  for (const selector of Object.keys(sections)) expect(selector).toMatch(/^Staging[-/]/);
  expect(sections['Staging/Site']).toMatch(/\[~\] AWS::WAFv2::WebACL/);
  expect(sections['Staging/Site']).toMatch(/\[-\]\s+"Limit": 2000\s+\[\+\]\s+"Limit": 3000/);
  for (const unchanged of Object.keys(sections).filter((selector) => selector !== 'Staging/Site'))
    expect(sections[unchanged]).toMatch(/There were no differences/);
  expect(execFileSync('git', ['worktree', 'list'], { cwd: CLONE, encoding: 'utf8' }).trim().split('\n')).toHaveLength(
    1,
  );
  // The base's fixed folder (scripts/diff/base-worktree.ts) and its lock are released.
  expect(
    readdirSync(join(CLONE, 'node_modules', '.cache')).filter((entry) => entry.startsWith('miko-diff-base')),
  ).toEqual([]);
  expect(readdirSync(tmp).filter((entry) => !TOOL_CACHES.test(entry))).toEqual([]);
});
