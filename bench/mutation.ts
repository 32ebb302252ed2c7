/**
 * The mutation run's time, as `npm run mutation` last measured it per module (docs/mutation.json): a run takes
 * minutes to hours, so the bench reports it rather than repeating it. Target: ≤ 15 min for every module,
 * incremental, on the 2-core machine.
 */
import { join } from 'node:path';
import { MUTATION_MODULES, MUTATION_TARGET_PERCENT } from '../scripts/mutation/modules';
import { allModulesTime, MUTATION_TIME_TARGET_SECONDS, readStoredRuns, runTime } from '../scripts/mutation/report';
import { printTable } from './measure';

export function benchMutation(): void {
  const runs = readStoredRuns(join(__dirname, '..'));
  const rows = MUTATION_MODULES.map((m) => {
    const run = runs[m.name];
    // Never run here: the row says so.
    if (!run) return [m.name, 'not run yet', '', `≥ ${MUTATION_TARGET_PERCENT} %`];
    return [m.name, runTime(run), `${run.percent.toFixed(1)} %`, `≥ ${MUTATION_TARGET_PERCENT} %`];
  });
  rows.push([
    'all modules',
    allModulesTime(MUTATION_MODULES, runs),
    '',
    `≤ ${MUTATION_TIME_TARGET_SECONDS} s incremental`,
  ]);
  printTable(
    'Mutation testing (npm run mutation, last run per module)',
    ['module', 'wall time', 'score', 'target'],
    rows,
  );
}
