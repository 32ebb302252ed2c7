/**
 * Jest global setup and teardown: the whole test run, its workers and every process they start, use one private
 * temp dir, removed when the run ends. CDK's `new App()` without an outdir, Template.fromStack and the tests' own
 * folders all write under os.tmpdir(); so a test run leaves nothing in the machine's temp dir.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const VARIABLE = 'MIKO_TEST_RUN_TMPDIR';
/**
 * Where Node's compile cache outlives the run (aws-cdk-lib's thousands of modules, and ours): in a private temp dir
 * it would start cold in every run and in every command a test starts.
 */
const TOOL_CACHES = join(__dirname, '..', '..', 'node_modules', '.cache', 'miko-tool-caches');

export function setup(): void {
  const dir = mkdtempSync(join(tmpdir(), 'miko-test-run-'));
  // As open as the temp dir itself: the PostgreSQL tests run the server as its own user, which must reach its files.
  chmodSync(dir, 0o1777);
  process.env[VARIABLE] = dir;
  // Workers inherit the parent's environment; os.tmpdir() reads TMPDIR.
  process.env.TMPDIR = dir;
  shareToolCaches();
}

/**
 * Points the compile cache of this process's children at the lasting one (Node reads NODE_COMPILE_CACHE; without it,
 * bin/compile-cache.ts would use <tmpdir>/node-compile-cache).
 */
function shareToolCaches(): void {
  process.env.NODE_COMPILE_CACHE = join(TOOL_CACHES, 'node-compile-cache');
}

export function teardown(): void {
  const dir = process.env[VARIABLE];
  if (dir) rmSync(dir, { recursive: true, force: true });
}
