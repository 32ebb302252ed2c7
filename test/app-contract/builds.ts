/** Builds written to a temp folder for the app contract's tests, and a Supabase-secret-shaped value built at run time. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { testTempDir } from '../support/temp-dir';

export const sbSecret = 'sb_' + 'secret_' + 'Zx81kLmQ0pRt7VwY2bNc4dFg';

export function buildDir(files: Record<string, string>): string {
  const dir = testTempDir('miko-contract-');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}
