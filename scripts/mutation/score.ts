/**
 * A module's mutation score from Stryker's mutant results, with the survivors the config explains taken out:
 * detected (killed or timed out) over every mutant a test could have detected. Compile errors (the TypeScript
 * checker refused the mutant) and mutants Stryker ignored count neither way.
 */
import { relative } from 'node:path';
import type { Equivalent, MutationModule } from './modules';

/** The fields of Stryker's MutantResult this report reads (its lines are 1-based, as an editor shows them). */
export interface MutantOutcome {
  readonly fileName: string;
  readonly mutatorName: string;
  readonly replacement: string;
  readonly status: string;
  readonly location: { readonly start: { readonly line: number } };
}

export interface Survivor {
  readonly file: string;
  /** 1-based, as an editor shows it. */
  readonly line: number;
  readonly mutator: string;
  readonly replacement: string;
  /** NoCoverage: no test of the module even runs this code. */
  readonly status: 'Survived' | 'NoCoverage';
}

export interface ModuleScore {
  readonly module: string;
  readonly mutants: number;
  readonly detected: number;
  readonly survivors: readonly Survivor[];
  readonly equivalent: ReadonlyArray<Survivor & { reason: string }>;
  /** Equivalents in the config that match no survivor any more (the code changed): they should go. */
  readonly staleEquivalents: readonly Equivalent[];
  /** Detected over (detected + unexplained survivors), in percent, one decimal; 100 when there is nothing to detect. */
  readonly percent: number;
}

const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);

export function scoreModule(module: MutationModule, results: readonly MutantOutcome[], root: string): ModuleScore {
  const equivalents = module.equivalents ?? [];
  const used = new Set<Equivalent>();
  const survivors: Survivor[] = [];
  const equivalent: Array<Survivor & { reason: string }> = [];
  let detected = 0;
  for (const result of results) {
    if (DETECTED.has(result.status)) detected++;
    if (!UNDETECTED.has(result.status)) continue;
    const survivor: Survivor = {
      file: relative(root, result.fileName).split('\\').join('/'),
      line: result.location.start.line,
      mutator: result.mutatorName,
      replacement: result.replacement,
      status: result.status as Survivor['status'],
    };
    const explained = equivalents.find(
      (e) =>
        e.file === survivor.file &&
        e.line === survivor.line &&
        e.mutator === survivor.mutator &&
        (e.replacement === undefined || e.replacement === survivor.replacement),
    );
    if (explained) {
      used.add(explained);
      equivalent.push({ ...survivor, reason: explained.reason });
    } else survivors.push(survivor);
  }
  const counted = detected + survivors.length;
  return {
    module: module.name,
    mutants: results.length,
    detected,
    survivors,
    equivalent,
    staleEquivalents: equivalents.filter((e) => !used.has(e)),
    percent: counted === 0 ? 100 : Math.floor((1000 * detected) / counted) / 10,
  };
}
