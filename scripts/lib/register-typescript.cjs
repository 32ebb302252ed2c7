/**
 * Runs this repository's TypeScript on Node (`node -r ./scripts/lib/register-typescript.cjs <file>.ts`): each .ts
 * file is compiled to CommonJS by the pinned esbuild when first required, with tsconfig.json's options and inline
 * source maps, so stack traces and cdk-nag name the .ts line. Type checking is `npm run typecheck`'s job.
 * Not tsx: it also lexes every .js file a process requires (all of aws-cdk-lib per synth); docs/bench.md compares.
 * tsx stays a dev dependency because `npm run diff -- --base <ref>` runs older refs' cdk.json, which use it.
 */
'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { transformSync } = require('esbuild');

const { compilerOptions } = JSON.parse(readFileSync(join(__dirname, '..', '..', 'tsconfig.json'), 'utf8'));

process.setSourceMapsEnabled(true);

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    loader: 'ts',
    format: 'cjs',
    target: 'node24',
    sourcemap: 'inline',
    sourcefile: filename,
    tsconfigRaw: { compilerOptions },
    // `await import('./x')` becomes a require, as TypeScript's own CommonJS output has it: Node's ESM loader would
    // look for a file named exactly ./x, not x.ts (Node 24 requires ES modules without top-level await as well).
    supported: { 'dynamic-import': false },
  });
  module._compile(code, filename);
};
