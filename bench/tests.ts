/** `npm test`'s wall time, the way CI runs it. Target: ≤ 60 s on the 2-core machine. */
import { join } from 'node:path';
import { median, printTable, timeCommand } from './measure';

const REPETITIONS = 3;

export function benchTests(): void {
  const jest = join(__dirname, '..', 'node_modules', '.bin', 'jest');
  const runs = Array.from({ length: REPETITIONS }, () => timeCommand(jest, ['--silent']));
  printTable(`npm test (median of ${REPETITIONS})`, ['suite', 'wall time', 'target'], [['all tests', `${median(runs).toFixed(1)} s`, '≤ 60 s']]);
}
