/**
 * The inner loop: the whole `unit` Jest project, and one construct's unit tests right after an edit to it (a comment
 * appended and removed, so jest's transform cache misses as after a real edit). The machine is shared, so beside
 * the wall time it prints the CPU seconds and what they take on the cores when nothing else runs.
 */
import { appendFileSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { measureCommand, median, printTable } from './measure';

const REPETITIONS = 3;
const ROOT = join(__dirname, '..');
const JEST = join(ROOT, 'node_modules', '.bin', 'jest');
/** Constructs on a small stack of their own, and one inside the Data stack that one-stack.ts builds for 6 files. */
const EDITED_CONSTRUCTS = [
  'lib/monitoring/alarm-topics.ts',
  'lib/secrets/rotation-alerts.ts',
  'lib/data/audit-trail.ts',
];

type Run = { wallSeconds: number; cpuSeconds: number };

function afterAnEditTo(file: string): Run {
  const path = join(ROOT, file);
  const original = readFileSync(path);
  const { atime, mtime } = statSync(path);
  appendFileSync(path, `// bench edit ${Date.now()}\n`);
  try {
    return measureCommand(JEST, ['--silent', '--selectProjects', 'unit', '--findRelatedTests', file]);
  } finally {
    writeFileSync(path, original);
    // Commands refuse an assembly older than any synth input: the file's old time keeps the cached one usable.
    utimesSync(path, atime, mtime);
  }
}

function row(what: string, runs: Run[], target: string): string[] {
  const cpu = median(runs.map((r) => r.cpuSeconds));
  return [
    what,
    `${median(runs.map((r) => r.wallSeconds)).toFixed(1)} s`,
    `${cpu.toFixed(1)} s`,
    `${(cpu / availableParallelism()).toFixed(1)} s`,
    target,
  ];
}

export function benchTestProjects(): void {
  const unit = Array.from({ length: REPETITIONS }, () =>
    measureCommand(JEST, ['--silent', '--selectProjects', 'unit']),
  );
  const rows = [row('npx jest --selectProjects unit (the whole unit project)', unit, '≤ 15 s')];
  for (const file of EDITED_CONSTRUCTS) {
    const edits = Array.from({ length: REPETITIONS }, () => afterAnEditTo(file));
    rows.push(row(`edit ${file}, then its unit tests (--findRelatedTests)`, edits, '≤ 10 s'));
  }
  printTable(
    `Test projects, the inner loop (median of ${REPETITIONS}; CPU / ${availableParallelism()} cores is the wall time on an idle machine at best)`,
    ['run', 'wall time', 'CPU time', 'CPU / cores', 'target'],
    rows,
  );
}
