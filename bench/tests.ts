/**
 * `npm test`'s wall time as CI runs it (a fresh clone: the template tests' cached assembly absent, so it includes
 * that one synth), the same with the assembly cached (the inner loop), and one pure unit test file. Targets on the
 * 2-core machine: ≤ 45 s for `npm test`, ≤ 5 s for one unit file.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { median, printTable, timeCommand } from './measure';

const REPETITIONS = 3;
const ROOT = join(__dirname, '..');
const JEST = join(ROOT, 'node_modules', '.bin', 'jest');
const TEST_ASSEMBLY_CACHE = join(ROOT, 'node_modules', '.cache', 'miko-test-assembly');
/** A file of pure unit tests: it must not wait for any synth. */
const PURE_UNIT_FILE = 'test/config/validate.test.ts';

export function benchTests(): void {
  const cold = Array.from({ length: REPETITIONS }, () => {
    rmSync(TEST_ASSEMBLY_CACHE, { recursive: true, force: true });
    return timeCommand(JEST, ['--silent']);
  });
  const warm = Array.from({ length: REPETITIONS }, () => timeCommand(JEST, ['--silent']));
  const unit = Array.from({ length: REPETITIONS }, () => timeCommand(JEST, ['--silent', PURE_UNIT_FILE]));
  printTable(`Tests (median of ${REPETITIONS})`, ['run', 'wall time', 'target'], [
    ['npm test, as in CI (includes the one synth of the template tests)', `${median(cold).toFixed(1)} s`, '≤ 45 s'],
    ['npm test, assembly cached (inputs unchanged since the last run)', `${median(warm).toFixed(1)} s`, ''],
    [`npx jest ${PURE_UNIT_FILE} (pure unit file)`, `${median(unit).toFixed(1)} s`, '≤ 5 s'],
  ]);
}
