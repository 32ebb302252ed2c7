/**
 * Jest global setup and teardown: the whole test run, its workers and every process they start, use one private
 * temp dir, removed when the run ends. CDK's `new App()` without an outdir, Template.fromStack and the tests' own
 * folders all write under os.tmpdir(); so a test run leaves nothing in the machine's temp dir.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const VARIABLE = 'MIKO_TEST_RUN_TMPDIR';
/**
 * Where the tools' compile caches outlive the run: tsx's transforms of our TypeScript and Node's compiled
 * JavaScript (aws-cdk-lib alone is thousands of modules). In a private temp dir of their own they would start cold
 * in every run, and in every command a test starts: about a second of CPU each.
 */
const TOOL_CACHES = join(__dirname, '..', '..', 'node_modules', '.cache', 'miko-tool-caches');

export function setup(): void {
  const dir = mkdtempSync(join(tmpdir(), 'miko-test-run-'));
  // As open as the temp dir itself: the PostgreSQL tests run the server as its own user, which must reach its files.
  chmodSync(dir, 0o1777);
  process.env[VARIABLE] = dir;
  // Workers inherit the parent's environment; os.tmpdir() reads TMPDIR.
  process.env.TMPDIR = dir;
  shareToolCaches(dir);
}

/**
 * Points the tools' caches of processes whose temp dir is `dir` at the lasting ones. tsx keeps its cache at
 * <tmpdir>/tsx-<uid>, with no setting for it; Node reads NODE_COMPILE_CACHE (set here for this process's children).
 */
export function shareToolCaches(dir: string): void {
  const tsxCache = join(TOOL_CACHES, 'tsx');
  mkdirSync(tsxCache, { recursive: true });
  symlinkSync(tsxCache, join(dir, `tsx-${process.geteuid?.() ?? 'user'}`), 'dir');
  process.env.NODE_COMPILE_CACHE = join(TOOL_CACHES, 'node-compile-cache');
}

export function teardown(): void {
  const dir = process.env[VARIABLE];
  if (dir) rmSync(dir, { recursive: true, force: true });
}
