/**
 * Jest transform: TypeScript to CommonJS with the esbuild the project already pins (type checking is
 * `npm run typecheck`'s job). Chosen over ts-jest (slow, type-checks per file) and @swc/jest (its platform
 * binaries are incomplete in the registry this project installs from, so `npm ci` fails on a fresh clone).
 */
const { transformSync } = require('esbuild');

module.exports = {
  process(source, filename) {
    const { code, map } = transformSync(source, {
      loader: filename.endsWith('x') ? 'tsx' : 'ts',
      format: 'cjs',
      target: 'node20',
      sourcemap: 'external',
      sourcefile: filename,
    });
    return { code, map };
  },
};
