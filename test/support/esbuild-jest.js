/**
 * Jest transform: TypeScript to CommonJS with the esbuild the project already pins (type checking is
 * `npm run typecheck`'s job). Chosen over ts-jest (slow, type-checks per file) and @swc/jest (its platform
 * binaries are incomplete in the registry this project installs from, so `npm ci` fails on a fresh clone).
 */
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { transformSync, version } = require('esbuild');

/** Changing this file or esbuild must recompile every test (jest would otherwise serve stale output). */
const TRANSFORM_IDENTITY = createHash('sha256').update(readFileSync(__filename)).update(version).digest('hex');

module.exports = {
  getCacheKey(source, filename) {
    return createHash('sha256').update(TRANSFORM_IDENTITY).update(filename).update(source).digest('hex');
  },
  process(source, filename) {
    const { code, map } = transformSync(source, {
      loader: filename.endsWith('x') ? 'tsx' : 'ts',
      format: 'cjs',
      target: 'node20',
      sourcemap: 'external',
      sourcefile: filename,
      // Jest runs tests as CommonJS in a vm without ESM support: `await import(x)` must become a require.
      supported: { 'dynamic-import': false },
    });
    return { code, map };
  },
};
