/**
 * The fixture app's committed build is current, and the suite depends on it rather than on app-dist/: with
 * app-dist/ replaced by any valid build, `npm test` must still pass.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { BUILT_FROM_FILE, REBUILD_COMMAND, fixtureSourcesHash } from '../fixtures/real-app/sources';

const TEST_ROOT = join(__dirname, '..');
/** A path to app-dist/ in code, or site-stack's APP_DIST imported (comments that mention app-dist/ do not count). */
const READS_APP_DIST = /['"`](?:\.\.\/)*app-dist['"`/]|import \{[^}]*\bAPP_DIST\b[^}]*\} from '[^']*site-stack'/;

describe('the fixture app', () => {
  it('has a committed build made from the committed sources', () => {
    const built = JSON.parse(readFileSync(BUILT_FROM_FILE, 'utf8')) as { sourcesSha256: string };
    const verdict =
      built.sourcesSha256 === fixtureSourcesHash()
        ? 'built from the committed sources'
        : `test/fixtures/real-app/dist is stale: its sources changed since it was built. Fix: ${REBUILD_COMMAND}, then commit dist/ and built-from.json.`;
    expect(verdict).toBe('built from the committed sources');
  });

  it('is what the tests deploy: no test reads app-dist/ except to check the committed sample (contract, telemetry module)', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        if (name === 'node_modules' || name === 'fixtures') return [];
        return statSync(path).isDirectory() ? files(path) : [path];
      });
    const readers = files(TEST_ROOT)
      .filter((file) => /\.ts$/.test(file) && READS_APP_DIST.test(readFileSync(file, 'utf8')))
      .map((file) => relative(TEST_ROOT, file));
    // client-module.test.ts checks the committed sample ships the current telemetry module, and skips itself for a
    // replaced app-dist/ that does not carry the sample's copy.
    expect(readers.sort()).toEqual(['app-contract/app-contract.test.ts', 'telemetry/client-module.test.ts']);
  });
});
