/**
 * The app contract: what the infrastructure asks of any build it deploys, checked at synth, in one place (pure
 * over the build's files and the config, unit-tested). It reads the build once and reports every problem at once,
 * each with the file (and line), what is wrong and the fix; synth then exits non-zero with nothing written.
 *
 * What the infrastructure itself needs in the HTML (SRI, the prober's build marker) is not asked of the app: the
 * deploy writes it (lib/site/release-content.ts). docs/readme/app-build.md is the contract as the app sees it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EnvironmentConfig } from '../config';
import { listFiles } from '../site/release-content';
import { ENVIRONMENTS } from './environments';
import { checkIndexHtml } from './index-html';
import { checkReservedFiles } from './reserved-files';
import { checkNoSecrets } from './secrets';

export interface AppContractProblem {
  /** Path inside the build, forward slashes (`assets/index-1a2b3c.js`). */
  readonly file: string;
  readonly line?: number;
  /** What is wrong, then "Fix: …". Never a secret's value. */
  readonly message: string;
}

/** The build as read once: path → content. */
export type BuildFiles = ReadonlyMap<string, Buffer>;

/** What the checks need from one environment's config. */
export type ContractConfig = Pick<EnvironmentConfig, 'envName' | 'csp' | 'appBuild'>;

export class AppContractError extends Error {
  constructor(
    readonly dist: string,
    readonly problems: readonly AppContractProblem[],
  ) {
    super(
      `The app build in ${dist} breaks the app contract (docs/readme/app-build.md) in ${problems.length} place${problems.length === 1 ? '' : 's'}; nothing was synthesized:\n` +
        problems.map((p) => `  - ${p.file}${p.line === undefined ? '' : `:${p.line}`}: ${p.message}`).join('\n'),
    );
    this.name = 'AppContractError';
  }
}

/** Reads every file of the build once. A missing or unreadable folder is reported as a problem, not thrown. */
export function readBuild(dist: string): BuildFiles | AppContractProblem {
  try {
    return new Map(listFiles(dist).map((file) => [file, readFileSync(join(dist, file))]));
  } catch (error) {
    return {
      file: '.',
      message: `the build folder cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}). Fix: run the app's build (vite build) and point synth at its output folder (app-dist/, or -c appDist=<dir>).`,
    };
  }
}

/**
 * Every problem of the build against each environment's config. A problem found for several environments is
 * reported once, naming them where it depends on config (the ENVIRONMENTS placeholder).
 */
export function checkAppContract(files: BuildFiles, configs: readonly ContractConfig[]): AppContractProblem[] {
  const found = new Map<string, { problem: AppContractProblem; environments: string[] }>();
  for (const config of configs) {
    for (const problem of [
      ...checkIndexHtml(files, config),
      ...checkReservedFiles(files),
      ...checkNoSecrets(files, config),
    ]) {
      const key = `${problem.file}\0${problem.line}\0${problem.message}`;
      const entry = found.get(key) ?? { problem, environments: [] };
      entry.environments.push(config.envName);
      found.set(key, entry);
    }
  }
  return [...found.values()]
    .map(({ problem, environments }) => ({
      ...problem,
      message: problem.message.split(ENVIRONMENTS).join(environments.join(', ')),
    }))
    .sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0));
}

/** Reads the build and throws `AppContractError` listing every problem; the synth entry point calls this first. */
export function assertAppContract(dist: string, configs: readonly ContractConfig[]): void {
  const files = readBuild(dist);
  const problems = files instanceof Map ? checkAppContract(files, configs) : [files as AppContractProblem];
  if (problems.length > 0) throw new AppContractError(dist, problems);
}
