/**
 * Temporary folders for one test file, removed after its tests, so a test run leaves nothing in the temp dir.
 * Importing this module registers the cleanup for the importing file (jest loads modules afresh per file).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder under the temp dir, removed after this test file's tests. */
export function testTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}
