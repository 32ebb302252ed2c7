/**
 * Each Lambda's bundle as deployed (esbuild with PlatformFunction's options, AWS SDK left to the runtime) and its
 * cold module-load time in a fresh Node process, next to an empty handler's. The SDK modules a handler imports are
 * loaded from node_modules here, as the runtime loads its own copy: their cost is part of the cold start.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { median, printTable } from './measure';

const ROOT = join(__dirname, '..');
const OUT = join(ROOT, '.bench', 'lambdas');
const LOADS = 7;

/** lambda/<fn>/handler.ts entries (lambda/shared holds helpers, not functions). */
function handlerEntries(): Array<{ name: string; entry: string }> {
  const dir = join(ROOT, 'lambda');
  return readdirSync(dir)
    .filter((name) => name !== 'shared' && statSync(join(dir, name)).isDirectory() && existsSync(join(dir, name, 'handler.ts')))
    .map((name) => ({ name, entry: join(dir, name, 'handler.ts') }));
}

function bundle(name: string, entry: string): { file: string; bytes: number } {
  const file = join(OUT, `${name}.js`);
  buildSync({ entryPoints: [entry], outfile: file, bundle: true, minify: true, platform: 'node', target: 'node20', format: 'cjs', external: ['@aws-sdk/*'], logLevel: 'error' });
  return { file, bytes: statSync(file).size };
}

function loadMilliseconds(file: string): number {
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(file)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  const samples: number[] = [];
  for (let i = 0; i < LOADS; i++) {
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd: ROOT });
    if (run.status !== 0) throw new Error(`loading ${file} failed: ${run.stderr}`);
    samples.push(Number(run.stdout));
  }
  return median(samples);
}

export function benchLambdas(): void {
  mkdirSync(OUT, { recursive: true });
  const emptyEntry = join(OUT, 'empty-handler.ts');
  writeFileSync(emptyEntry, 'export const handler = async () => ({ statusCode: 200 });\n');
  const rows = [{ name: '(empty handler)', entry: emptyEntry }, ...handlerEntries()].map(({ name, entry }) => {
    const { file, bytes } = bundle(name.replace(/[()\s]/g, ''), entry);
    return { name, bytes, ms: loadMilliseconds(file) };
  });
  const baseline = rows[0].ms;
  printTable(`Lambda bundles (cold module load: median of ${LOADS} fresh processes)`, ['function', 'bundle', 'cold load', 'over empty'], rows.map((r) => [
    r.name, `${(r.bytes / 1024).toFixed(1)} KiB`, `${r.ms.toFixed(1)} ms`, `${(r.ms - baseline).toFixed(1)} ms`,
  ]));
}
