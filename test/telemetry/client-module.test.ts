/**
 * The browser module as shipped: the sample build in app-dist/ carries the current client/miko-telemetry.js as a
 * content-hashed asset (so a changed module gets a new name and no browser keeps the old one a year), and the
 * module has no dependency and no inline code to need a CSP exception. Skipped for a replaced app-dist/ (any
 * valid build) that does not ship the sample's copy.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const source = readFileSync(join(ROOT, 'client', 'miko-telemetry.js'));
const shipped = existsSync(join(ROOT, 'app-dist', 'assets'))
  ? readdirSync(join(ROOT, 'app-dist', 'assets')).filter((f) => /^miko-telemetry-[0-9a-f]{8}\.js$/.test(f))
  : [];

(shipped.length > 0 ? it : it.skip)(
  'app-dist ships the current module under its content hash, loaded from index.html',
  () => {
    const name = `miko-telemetry-${createHash('sha256').update(source).digest('hex').slice(0, 8)}.js`;
    expect(shipped).toEqual([name]);
    expect(readFileSync(join(ROOT, 'app-dist', 'assets', name)).equals(source)).toBe(true);
    expect(readFileSync(join(ROOT, 'app-dist', 'index.html'), 'utf8')).toContain(
      `<script type="module" crossorigin src="/assets/${name}"></script>`,
    );
  },
);

it('imports nothing and posts only to the collector on its own origin', () => {
  const text = source.toString('utf8');
  expect(text).not.toMatch(/^\s*import\s/m);
  expect([...text.matchAll(/'(\/_telemetry\/[a-z]+)'/g)].map((m) => m[1])).toEqual([
    '/_telemetry/errors',
    '/_telemetry/vitals',
  ]);
  expect(text).not.toMatch(/https?:\/\//);
});
