/**
 * Mutation testing of the modules that guard patients and on-call (scripts/mutation/modules.ts), per module beside
 * the target. Slow, so not part of npm test. Each run updates its module's row in docs/mutation.json and rewrites
 * docs/mutation.md from it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Io, processIo, runCommand, runIfMain, UsageError } from './lib/command';
import { MUTATION_MODULES, MUTATION_TARGET_PERCENT, MutationModule } from './mutation/modules';
import { readStoredRuns, renderMutationReport, RESULTS_FILE, StoredRun } from './mutation/report';
import { reusesResults, runStryker } from './mutation/run-stryker';
import { MutantOutcome, scoreModule } from './mutation/score';

const USAGE = `usage: npm run mutation [-- --module <name> …] [--force]
modules: ${MUTATION_MODULES.map((m) => m.name).join(', ')}
Exit codes: 0 every module run meets ${MUTATION_TARGET_PERCENT} %; 1 one does not; 2 usage`;

export interface MutationIo extends Io {
  readonly root: string;
  /** Stryker itself; tests pass canned outcomes. */
  readonly run: (module: MutationModule, root: string, options: { force: boolean }) => Promise<MutantOutcome[]>;
  readonly now: () => number;
}

const REPORT_FILE = 'docs/mutation.md';

const SPEC = {
  name: 'mutation',
  usage: USAGE,
  options: { module: { type: 'string' as const, multiple: true }, force: { type: 'boolean' as const } },
};

/** Without a test's io, the real one: Stryker, this checkout, the clock. */
const realIo = (): MutationIo => ({ ...processIo, root: join(__dirname, '..'), run: runStryker, now: Date.now });

export function main(argv: readonly string[], io: Io | MutationIo = realIo()): Promise<number> {
  const full: MutationIo = 'run' in io ? io : { ...realIo(), out: io.out, err: io.err };
  return runCommand(SPEC, argv, full, (flags) => runModules(flags as { module?: string[]; force?: boolean }, full));
}

async function runModules(values: { module?: string[]; force?: boolean }, io: MutationIo): Promise<number> {
  const unknown = (values.module ?? []).filter((name) => !MUTATION_MODULES.some((m) => m.name === name));
  if (unknown.length > 0)
    throw new UsageError(`unknown module ${unknown.join(', ')}. Fix: use one of the names below.`);
  const chosen = values.module ? MUTATION_MODULES.filter((m) => values.module!.includes(m.name)) : MUTATION_MODULES;

  const stored = readStoredRuns(io.root);
  let belowTarget = 0;
  const force = values.force === true;
  for (const module of chosen) {
    const incremental = reusesResults(module, io.root, force);
    const started = io.now();
    const score = scoreModule(module, await io.run(module, io.root, { force }), io.root);
    const seconds = Math.round((io.now() - started) / 1000);
    stored[module.name] = { ...score, seconds, incremental, date: new Date(io.now()).toISOString().slice(0, 10) };
    const verdict = score.percent >= MUTATION_TARGET_PERCENT ? 'meets' : 'BELOW';
    if (verdict === 'BELOW') belowTarget++;
    io.out(
      `${module.name.padEnd(20)} ${score.percent.toFixed(1).padStart(5)} % (target ${MUTATION_TARGET_PERCENT} %, ${verdict}): ` +
        `${score.detected} of ${score.detected + score.survivors.length} detected, ${score.equivalent.length} equivalent, ${seconds} s ${incremental ? 'incremental' : 'full'}`,
    );
    for (const s of score.survivors) io.out(`  survivor ${s.file}:${s.line} ${s.mutator} → ${s.replacement}`);
    for (const e of score.staleEquivalents)
      io.err(`  stale equivalent in scripts/mutation/modules.ts: ${e.file}:${e.line} ${e.mutator} (no such survivor)`);
    // After each module: a later module's failure must not lose an hour of results.
    writeResults(io.root, stored);
  }
  io.out(`wrote ${REPORT_FILE}`);
  return belowTarget > 0 ? 1 : 0;
}

function writeResults(root: string, stored: Record<string, StoredRun>): void {
  writeFileSync(join(root, RESULTS_FILE), `${JSON.stringify(stored, null, 2)}\n`);
  writeFileSync(join(root, REPORT_FILE), renderMutationReport(MUTATION_MODULES, stored));
}

runIfMain(module, (argv, io) => main(argv, io));
