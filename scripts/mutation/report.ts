/** docs/mutation.md, written by `npm run mutation` from the last run of each module (docs/mutation.json). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MUTATION_TARGET_PERCENT, MutationModule } from './modules';
import type { ModuleScore } from './score';

/** Each module's last run, kept in the repository beside the report. */
export const RESULTS_FILE = 'docs/mutation.json';

export type StoredRun = ModuleScore & {
  /** Wall time of the module's Stryker run. */
  readonly seconds: number;
  /** Whether that run reused earlier results (Stryker's incremental mode) or tested every mutant. */
  readonly incremental?: boolean;
  /** When it ran (YYYY-MM-DD). */
  readonly date: string;
};

/** The stored runs under `root`; none when the file is missing or unreadable (never run here). */
export function readStoredRuns(root: string): Record<string, StoredRun> {
  try {
    return JSON.parse(readFileSync(join(root, RESULTS_FILE), 'utf8'));
  } catch {
    return {};
  }
}

/** The bench's bar: every module, incremental, on the two-core machine. */
export const MUTATION_TIME_TARGET_SECONDS = 15 * 60;

/** "412 s full, 2026-12-07" or "38 s incremental, …" (runs stored before the mode was: "mode not recorded"). */
export function runTime(run: StoredRun): string {
  const mode = run.incremental === undefined ? 'mode not recorded' : run.incremental ? 'incremental' : 'full';
  return `${run.seconds} s ${mode}, ${run.date}`;
}

/**
 * The time of one incremental run of every module: the sum of each module's last run when every one of them reused
 * earlier results. Otherwise the sum says so (a full run is not the figure the target is about).
 */
export function allModulesTime(modules: readonly MutationModule[], runs: Record<string, StoredRun>): string {
  const seconds = modules.reduce((sum, m) => sum + (runs[m.name]?.seconds ?? 0), 0);
  const full = modules.filter((m) => runs[m.name] && !runs[m.name].incremental).map((m) => m.name);
  const notRun = modules.filter((m) => !runs[m.name]).map((m) => m.name);
  if (full.length + notRun.length === 0) return `${seconds} s incremental`;
  const gaps = [
    ...(full.length ? [`last run full or of unknown mode: ${full.join(', ')}`] : []),
    ...(notRun.length ? [`not run: ${notRun.join(', ')}`] : []),
  ];
  return `${seconds} s, not an incremental run (${gaps.join('; ')})`;
}

export function renderMutationReport(modules: readonly MutationModule[], runs: Record<string, StoredRun>): string {
  const rows = modules.map((m) => {
    const run = runs[m.name];
    if (!run) return `| ${m.name} | not run yet | ${MUTATION_TARGET_PERCENT} % | | | |`;
    const meets = run.percent >= MUTATION_TARGET_PERCENT ? 'meets' : '**below**';
    return `| ${m.name} | ${run.percent.toFixed(1)} % (${meets}) | ${MUTATION_TARGET_PERCENT} % | ${run.detected} / ${run.detected + run.survivors.length} (${run.equivalent.length} equivalent) | ${runTime(run)} | |`;
  });
  const details = modules
    .filter((m) => runs[m.name])
    .flatMap((m) => {
      const run = runs[m.name];
      if (run.survivors.length + run.equivalent.length === 0) return [];
      return [
        '',
        `### ${m.name}`,
        '',
        ...run.survivors.map(
          (s) =>
            `- survivor \`${s.file}:${s.line}\` ${s.mutator}${s.status === 'NoCoverage' ? ' (no test runs it)' : ''}`,
        ),
        ...run.equivalent.map((e) => `- equivalent \`${e.file}:${e.line}\` ${e.mutator}: ${e.reason}`),
      ];
    });
  return [
    '# Mutation testing',
    '',
    'Written by `npm run mutation` (StrykerJS; see scripts/mutation/modules.ts for what each module mutates and',
    'which tests may kill its mutants). A score is detected mutants (killed or timed out) over every mutant a test',
    'could have detected; survivors judged equivalent are listed with their reason and not counted.',
    '',
    '| Module | Score | Target | Detected | Last run | Note |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
    `All modules: ${allModulesTime(modules, runs)} (target for all modules, incremental, on two cores: ${MUTATION_TIME_TARGET_SECONDS} s).`,
    ...(details.length ? ['', '## Survivors', ...details] : []),
    '',
  ].join('\n');
}
