/**
 * Jest global setup and teardown: the whole test run, its workers and every process they start, use one private
 * temp dir, removed when the run ends. CDK's `new App()` without an outdir, Template.fromStack and the tests' own
 * folders all write under os.tmpdir(); so a test run leaves nothing in the machine's temp dir.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const VARIABLE = 'MIKO_TEST_RUN_TMPDIR';

export function setup(): void {
  const dir = mkdtempSync(join(tmpdir(), 'miko-test-run-'));
  // As open as the temp dir itself: the PostgreSQL tests run the server as its own user, which must reach its files.
  chmodSync(dir, 0o1777);
  process.env[VARIABLE] = dir;
  // Workers inherit the parent's environment; os.tmpdir() reads TMPDIR.
  process.env.TMPDIR = dir;
}

export function teardown(): void {
  const dir = process.env[VARIABLE];
  if (dir) rmSync(dir, { recursive: true, force: true });
}
