/**
 * `npm test`'s wall time as CI runs it (every cache the suite builds emptied first, as in a fresh clone), the same
 * again with warm caches (the inner loop), and one pure unit test file.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { median, printTable, timeCommand } from './measure';

const REPETITIONS = 3;
const ROOT = join(__dirname, '..');
const JEST = join(ROOT, 'node_modules', '.bin', 'jest');
/** The cached test assembly, the validation findings and the tool caches (test/support/private-tmp.ts). */
const SUITE_CACHES = join(ROOT, 'node_modules', '.cache');
/** A file of pure unit tests: it must not wait for any synth. */
const PURE_UNIT_FILE = 'test/config/validate.test.ts';

export function benchTests(): void {
  const cold = Array.from({ length: REPETITIONS }, () => {
    rmSync(SUITE_CACHES, { recursive: true, force: true });
    return timeCommand(JEST, ['--silent', '--no-cache']);
  });
  const warm = Array.from({ length: REPETITIONS }, () => timeCommand(JEST, ['--silent']));
  const unit = Array.from({ length: REPETITIONS }, () => timeCommand(JEST, ['--silent', PURE_UNIT_FILE]));
  printTable(
    `Tests (median of ${REPETITIONS})`,
    ['run', 'wall time', 'target'],
    [
      ['npm test, as in CI (a fresh clone: no cache of any kind)', `${median(cold).toFixed(1)} s`, '≤ 45 s'],
      ['npm test again, inputs unchanged (caches warm: the inner loop)', `${median(warm).toFixed(1)} s`, '≤ 45 s'],
      [`npx jest ${PURE_UNIT_FILE} (pure unit file)`, `${median(unit).toFixed(1)} s`, '≤ 5 s'],
    ],
  );
}
