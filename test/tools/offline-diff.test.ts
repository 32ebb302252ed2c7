/**
 * `npm run diff`: in a clone of this repository with a config change not yet committed, the diff against HEAD shows
 * exactly that change, with no AWS credentials and no AWS endpoint, and leaves no worktree or temporary folder.
 */
import { execFile, execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { shareToolCaches } from '../support/private-tmp';
import { testTempDir } from '../support/temp-dir';

const run = promisify(execFile);
const REPO = join(__dirname, '..', '..');

it('shows what the working tree changes in one environment, offline, and cleans up after itself', async () => {
  const clone = join(testTempDir('miko-diff-clone-'), 'repo');
  execFileSync('git', ['clone', '--quiet', '--shared', REPO, clone]);
  symlinkSync(join(REPO, 'node_modules'), join(clone, 'node_modules'), 'dir');
  const staging = join(clone, 'lib', 'config', 'environments', 'staging.ts');
  writeFileSync(staging, readFileSync(staging, 'utf8').replace('rateLimitPer5Minutes: 2000', 'rateLimitPer5Minutes: 3000'));
  const tmp = testTempDir('miko-diff-tmp-');
  // The command's own litter is what is checked, so it gets a temp dir of its own, but not a cold start of tsx and Node.
  shareToolCaches(tmp);
  // No credentials, no profile, no instance metadata: a call to AWS would fail the command.
  const env = { PATH: process.env.PATH, HOME: testTempDir('miko-diff-home-'), TMPDIR: tmp, NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE, AWS_EC2_METADATA_DISABLED: 'true' };

  const { stdout } = await run('npx', ['tsx', 'scripts/diff.ts', '--env', 'staging', '--base', 'HEAD'], { cwd: clone, env, timeout: 180_000, maxBuffer: 16 * 1024 * 1024 });

  const sections = Object.fromEntries(stdout.split(/^## /m).slice(1).map((section) => [section.split('\n')[0], section]));
  // Every stack of staging (inside the stage, and its CiAccess beside it), none of production's.
  expect(Object.keys(sections)).toEqual(expect.arrayContaining(['Staging-CiAccess', 'Staging/Data', 'Staging/Health', 'Staging/Site', 'Staging/Monitoring']));
  for (const selector of Object.keys(sections)) expect(selector).toMatch(/^Staging[-/]/);
  expect(sections['Staging/Site']).toMatch(/\[~\] AWS::WAFv2::WebACL/);
  expect(sections['Staging/Site']).toMatch(/\[-\]\s+"Limit": 2000\s+\[\+\]\s+"Limit": 3000/);
  for (const unchanged of Object.keys(sections).filter((selector) => selector !== 'Staging/Site')) expect(sections[unchanged]).toMatch(/There were no differences/);
  expect(execFileSync('git', ['worktree', 'list'], { cwd: clone, encoding: 'utf8' }).trim().split('\n')).toHaveLength(1);
  expect(readdirSync(tmp).filter((entry) => entry.startsWith('miko-'))).toEqual([]);
});
