/**
 * Each of our Lambdas' bundles exactly as deployed (the assets in the synthesized production assembly) and its
 * cold module-load time in a fresh Node process, next to an empty handler's. A bundle that leaves the AWS SDK to
 * the runtime loads it from node_modules here, as Lambda loads its own copy: its cost is part of the cold start.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { assetFolder, environmentStacks } from '../scripts/lib/read-assembly';
import { median, printTable } from './measure';
import { LambdaFunctionProperties, propertiesOf, Template } from '../tools/analysis/template';

const ROOT = join(__dirname, '..');
const LOADS = 7;

/** Node.js functions of ours (bundled to index.handler), one row per distinct bundle. */
function deployedBundles(assembly: CloudAssembly): Array<{ name: string; file: string }> {
  const bundles = new Map<string, string>();
  for (const stack of environmentStacks(assembly, 'production')) {
    for (const [logicalId, r] of Object.entries((stack.template as Template).Resources ?? {})) {
      const p = propertiesOf<LambdaFunctionProperties>(r) ?? {};
      const objectKey = p.Code?.S3Key;
      if (
        r.Type !== 'AWS::Lambda::Function' ||
        p.Handler !== 'index.handler' ||
        !String(p.Runtime).startsWith('nodejs') ||
        !objectKey
      )
        continue;
      const file = join(assetFolder(assembly, objectKey), 'index.js');
      if (!bundles.has(file)) bundles.set(file, `${stack.stackName}/${logicalId.replace(/[0-9A-F]{8}$/, '')}`);
    }
  }
  return [...bundles].map(([file, name]) => ({ name, file }));
}

function loadMilliseconds(file: string): number {
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(file)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  const samples: number[] = [];
  for (let i = 0; i < LOADS; i++) {
    // Run from the project so a bundle without the SDK finds it in node_modules, as Lambda finds its own.
    const run = spawnSync(process.execPath, ['-e', script], {
      encoding: 'utf8',
      cwd: ROOT,
      env: { ...process.env, NODE_PATH: join(ROOT, 'node_modules') },
    });
    if (run.status !== 0) throw new Error(`loading ${file} failed: ${run.stderr}`);
    samples.push(Number(run.stdout));
  }
  return median(samples);
}

export function benchLambdas(assembly: CloudAssembly): void {
  const emptyDir = join(ROOT, '.bench');
  mkdirSync(emptyDir, { recursive: true });
  const empty = join(emptyDir, 'empty-handler.js');
  writeFileSync(empty, 'exports.handler = async () => ({ statusCode: 200 });\n');
  const rows = [{ name: '(empty handler)', file: empty }, ...deployedBundles(assembly)].map(({ name, file }) => ({
    name,
    bytes: statSync(file).size,
    ms: loadMilliseconds(file),
  }));
  const baseline = rows[0].ms;
  printTable(
    `Lambda bundles as deployed (cold module load: median of ${LOADS} fresh processes)`,
    ['function', 'bundle', 'cold load', 'over empty'],
    rows.map((r) => [
      r.name,
      `${(r.bytes / 1024).toFixed(1)} KiB`,
      `${r.ms.toFixed(1)} ms`,
      `${(r.ms - baseline).toFixed(1)} ms`,
    ]),
  );
}
