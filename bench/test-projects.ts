/**
 * The inner loop: the whole `unit` Jest project, and the unit tests of one construct right after an edit to it (the
 * edit is a comment appended and removed again, so jest's transform cache misses as after a real edit). Targets on
 * the 2-core machine: ≤ 15 s for the unit project, ≤ 10 s for one construct's tests.
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { median, printTable, timeCommand } from './measure';

const REPETITIONS = 3;
const ROOT = join(__dirname, '..');
const JEST = join(ROOT, 'node_modules', '.bin', 'jest');
/** Constructs whose own tests build a small stack of their own. */
const EDITED_CONSTRUCTS = ['lib/monitoring/alarm-topics.ts', 'lib/secrets/rotation-alerts.ts'];

function afterAnEditTo(file: string): number {
  const path = join(ROOT, file);
  const original = readFileSync(path);
  appendFileSync(path, `// bench edit ${Date.now()}\n`);
  try {
    return timeCommand(JEST, ['--silent', '--selectProjects', 'unit', '--findRelatedTests', file]);
  } finally {
    writeFileSync(path, original);
  }
}

export function benchTestProjects(): void {
  const unit = Array.from({ length: REPETITIONS }, () => timeCommand(JEST, ['--silent', '--selectProjects', 'unit']));
  const rows = [['npx jest --selectProjects unit (the whole unit project)', `${median(unit).toFixed(1)} s`, '≤ 15 s']];
  for (const file of EDITED_CONSTRUCTS) {
    const edits = Array.from({ length: REPETITIONS }, () => afterAnEditTo(file));
    rows.push([`edit ${file}, then its unit tests (--findRelatedTests)`, `${median(edits).toFixed(1)} s`, '≤ 10 s']);
  }
  printTable(`Test projects, the inner loop (median of ${REPETITIONS})`, ['run', 'wall time', 'target'], rows);
}
