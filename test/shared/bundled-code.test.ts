/**
 * The Lambda bundle cache (lib/shared/bundled-code.ts), as `npm run diff` uses it: two checkouts with one
 * node_modules, the base's synth staging its bundle while the working tree's publishes another. A published bundle is
 * never replaced, a handler edit gets a bundle of its own, and the first version is reused once the edit is undone.
 */
import { mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BundleCache, cachedBundle } from '../../lib/shared/bundled-code';
import { testTempDir } from '../support/temp-dir';

const TSCONFIG = readFileSync(join(__dirname, '..', '..', 'tsconfig.json'));

/** A checkout's sources: tsconfig.json and one handler, at `repoRoot` (default a new folder). */
function checkout(cacheRoot: string, handler: string, repoRoot = testTempDir('miko-bundle-repo-')): BundleCache {
  mkdirSync(join(repoRoot, 'lambda'), { recursive: true });
  writeFileSync(join(repoRoot, 'tsconfig.json'), TSCONFIG);
  writeFileSync(join(repoRoot, 'lambda', 'handler.ts'), handler);
  return { repoRoot, cacheRoot };
}

const handlerSaying = (word: string) => `export const handler = async (): Promise<string> => '${word}';\n`;
const bundleOf = (cache: BundleCache) => cachedBundle(join(cache.repoRoot, 'lambda', 'handler.ts'), {}, cache);

it("keeps the base's bundle intact while the working tree publishes its own, and reuses each for unchanged sources", () => {
  const cacheRoot = testTempDir('miko-bundle-cache-');
  const base = checkout(cacheRoot, handlerSaying('before'));
  const workingTree = checkout(cacheRoot, handlerSaying('after'));

  const baseBundle = bundleOf(base);
  const workingTreeBundle = bundleOf(workingTree);
  expect(workingTreeBundle).not.toBe(baseBundle);
  expect(readFileSync(join(baseBundle, 'index.js'), 'utf8')).toContain('"before"');
  expect(readFileSync(join(workingTreeBundle, 'index.js'), 'utf8')).toContain('"after"');

  // The base's synth, still running, chooses again: its own version, as it was, not rebuilt.
  const builtAt = statSync(join(baseBundle, 'index.js')).mtimeMs;
  expect(bundleOf(base)).toBe(baseBundle);
  expect(statSync(join(baseBundle, 'index.js')).mtimeMs).toBe(builtAt);

  // An edit undone in the working tree finds the first version again.
  writeFileSync(join(workingTree.repoRoot, 'lambda', 'handler.ts'), handlerSaying('before'));
  expect(bundleOf(workingTree)).toBe(baseBundle);
});

it("bundles the same bytes in npm run diff's base worktree (under node_modules/.cache, its node_modules a symlink) as in the checkout", () => {
  const handler =
    "import { greeting } from 'greeting';\nexport const handler = async (): Promise<string> => greeting;\n";
  const main = checkout(testTempDir('miko-bundle-cache-'), handler);
  mkdirSync(join(main.repoRoot, 'node_modules', 'greeting'), { recursive: true });
  writeFileSync(join(main.repoRoot, 'node_modules', 'greeting', 'index.js'), "exports.greeting = 'hello';\n");
  // Separate caches, so each checkout bundles for itself rather than reusing the other's bundle.
  const base = checkout(
    testTempDir('miko-bundle-cache-'),
    handler,
    join(main.repoRoot, 'node_modules', '.cache', 'miko-diff-base'),
  );
  symlinkSync(join(main.repoRoot, 'node_modules'), join(base.repoRoot, 'node_modules'), 'dir');

  const bundled = readFileSync(join(bundleOf(main), 'index.js'), 'utf8');
  // tsconfig's strict mode, and the dependency bundled in.
  expect(bundled).toMatch(/^"use strict";/);
  expect(bundled).toContain('greeting="hello"');
  expect(readFileSync(join(bundleOf(base), 'index.js'), 'utf8')).toBe(bundled);
});
