/**
 * The permission proof's cost: `npm run permissions` over both environments of an assembly, in its own process
 * (module loading, the IAM engine's data, model build and every decision), median of three runs, against the
 * 10 s target on the 2-core machine.
 */
import { join } from 'node:path';
import { measureCommand, median, printTable } from './measure';

const RUNS = 3;
const TARGET_SECONDS = 10;
const REPO_ROOT = join(__dirname, '..');

export function benchPermissions(assemblyDir: string): void {
  const runs = Array.from({ length: RUNS }, () =>
    measureCommand(process.execPath, [
      '-r',
      join(REPO_ROOT, 'scripts', 'lib', 'register-typescript.cjs'),
      join(REPO_ROOT, 'scripts', 'permissions.ts'),
      '--assembly',
      assemblyDir,
      '--doc',
      '-',
    ]),
  );
  const wall = median(runs.map((r) => r.wallSeconds));
  const cpu = median(runs.map((r) => r.cpuSeconds));
  printTable(
    'Permission proof (npm run permissions, both environments)',
    ['measure', 'median of 3', 'target'],
    [
      ['wall time', `${wall.toFixed(2)} s`, `≤ ${TARGET_SECONDS} s`],
      ['CPU time', `${cpu.toFixed(2)} s`, ''],
    ],
  );
}
