/**
 * Runs this repository's TypeScript on Node: `node -r ./scripts/lib/register-typescript.cjs <file>.ts`, as every
 * npm script, the CDK app (cdk.json) and the tests' child processes do. Each .ts file is compiled to CommonJS by
 * the esbuild the project pins, when it is first required, with the compiler options of tsconfig.json; type checking
 * is `npm run typecheck`'s job.
 *
 * Not tsx, which applies the same esbuild transform: tsx also reads and lexes every .js file a process requires, to
 * tell ES modules from CommonJS (all of aws-cdk-lib on each synth), and starts a thread for its ESM loader. That
 * was about 0.8 s of a synth's 3.5 s of CPU, and a share of every command's start. tsx stays a dev dependency:
 * `npm run diff -- --base <ref>` synthesizes the ref with its own cdk.json and this checkout's node_modules, and the
 * refs before this hook ran the app with `node --import tsx`.
 *
 * Source maps are inline and turned on, so stack traces, and the construct locations cdk-nag prints, name the line
 * of the .ts file.
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
