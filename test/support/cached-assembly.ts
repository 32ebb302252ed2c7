/**
 * The synthesized app for the tests that read templates, made on first use and cached on disk under a hash of every
 * synth input (bin, lib, lambda, cdk.json, package-lock.json, the fixture app's build), so a test file that never asks for it
 * costs no synth, and a second run with unchanged inputs costs none either.
 *
 * Jest runs test files in parallel workers: the first to ask takes a lock and synthesizes (in a child process, at
 * the CLI's speed, outside jest's module registry); the others wait for it. A synth failure (bad config, a nag
 * finding) fails every test that needs the assembly, with the synth's own message.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { SYNTH_INPUTS } from '../../scripts/lib/read-assembly';
import { TYPESCRIPT_NODE_ARGS } from './run-script';

const REPO_ROOT = join(__dirname, '..', '..');
const CACHE_ROOT = join(REPO_ROOT, 'node_modules', '.cache', 'miko-test-assembly');
const COMPLETE_MARKER = '.complete';
/** A lock older than this belongs to a worker that died mid-synth. */
const STALE_LOCK_MS = 5 * 60_000;

function filesUnder(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((entry) => filesUnder(join(path, entry)));
}

/** Hash of every input's path and content, plus the installed dependencies and this file's synth recipe. */
export function synthInputsHash(repoRoot = REPO_ROOT): string {
  const hash = createHash('sha256');
  const inputs = [
    ...SYNTH_INPUTS,
    'package-lock.json',
    'test/fixtures/real-app/dist',
    'test/support/synth-test-assembly.ts',
  ];
  for (const file of inputs.flatMap((input) => filesUnder(join(repoRoot, input)))) {
    hash.update(relative(repoRoot, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

function synthesizeInto(dir: string): void {
  const partial = `${dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  try {
    execFileSync(process.execPath, [...TYPESCRIPT_NODE_ARGS, join(__dirname, 'synth-test-assembly.ts'), partial], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    const stderr = String((error as { stderr?: Buffer }).stderr ?? '');
    throw new Error(`synthesizing the app for the tests failed:\n${stderr || (error as Error).message}`);
  }
  writeFileSync(join(partial, COMPLETE_MARKER), new Date().toISOString());
  renameSync(partial, dir);
}

/** Keep only the assembly of the current inputs: each is ~25 MB. */
function removeOtherAssemblies(keep: string): void {
  for (const entry of readdirSync(CACHE_ROOT)) {
    if (entry !== keep && !entry.endsWith('.lock') && !entry.includes('.partial-'))
      rmSync(join(CACHE_ROOT, entry), { recursive: true, force: true });
  }
}

/**
 * Found by the inputs' content, so it is as new as they are: an edit undone (same content, newer time) must not make
 * the commands' freshness check (readFreshAssembly) refuse it.
 */
function markedCurrent(dir: string): string {
  const now = new Date();
  utimesSync(join(dir, 'manifest.json'), now, now);
  return dir;
}

/** The folder of the synthesized app for the current inputs; synthesizes it (once, across workers) when missing. */
export function testAssemblyDir(): string {
  if (process.env.MIKO_TEST_ASSEMBLY) return process.env.MIKO_TEST_ASSEMBLY;
  const key = synthInputsHash();
  const dir = join(CACHE_ROOT, key);
  const lock = join(CACHE_ROOT, `${key}.lock`);
  mkdirSync(CACHE_ROOT, { recursive: true });
  for (;;) {
    if (existsSync(join(dir, COMPLETE_MARKER))) return markedCurrent(dir);
    let fd: number | undefined;
    try {
      fd = openSync(lock, 'wx');
    } catch {
      // Another worker is synthesizing; wait for it, or take over a lock its dead owner left.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS) rmSync(lock, { force: true });
      sleep(200);
      continue;
    }
    try {
      if (!existsSync(join(dir, COMPLETE_MARKER))) {
        rmSync(dir, { recursive: true, force: true });
        synthesizeInto(dir);
        removeOtherAssemblies(key);
      }
      return dir;
    } finally {
      closeSync(fd);
      rmSync(lock, { force: true });
    }
  }
}
