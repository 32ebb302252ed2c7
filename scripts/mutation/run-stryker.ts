/**
 * One module through StrykerJS: only its own tests run, each mutant type-checked first, one process at a time (two
 * shared cores), results kept between runs (incremental) so unchanged files cost nothing. The incremental files live
 * in node_modules/.cache/miko-mutation/, not the repository, as they would conflict between branches.
 */
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MutationModule } from './modules';
import type { MutantOutcome } from './score';

export const INCREMENTAL_DIR = 'node_modules/.cache/miko-mutation';
/**
 * The TypeScript checker's project for one module: its mutated files and what they import, written for the run.
 * The whole repository with its tests took the checker most of each mutant's time (2.7 GB, a minute of CPU early on).
 */
export const CHECKER_TSCONFIG = 'tsconfig.mutation.json';

export function checkerTsconfig(module: MutationModule): object {
  return { extends: './tsconfig.json', include: [], files: [...module.mutate] };
}

/** Where Stryker keeps a module's results between runs. */
export function incrementalFile(module: MutationModule, root: string): string {
  return join(root, INCREMENTAL_DIR, `${module.name}.json`);
}

/**
 * The suite's Jest config with one project that holds the module's test files only. A top-level testMatch does not
 * replace the projects' own: each file then ran once per project (unit and integration), twice for every mutant.
 */
export function moduleJestConfig(module: MutationModule, root: string): { projects: object[] } {
  const { projects } = require(join(root, 'jest.config.js')) as { projects: Array<Record<string, unknown>> };
  return {
    projects: [{ ...projects[0], displayName: 'mutation', testMatch: module.tests.map((file) => `<rootDir>/${file}`) }],
  };
}

/** Whether a run of `module` now reuses earlier results (a full run otherwise: none kept, or --force). */
export function reusesResults(module: MutationModule, root: string, force: boolean): boolean {
  return !force && existsSync(incrementalFile(module, root));
}

export function strykerOptions(module: MutationModule, root: string, force = false): Record<string, unknown> {
  return {
    mutate: [...module.mutate],
    testRunner: 'jest',
    jest: {
      projectType: 'custom',
      configFile: 'jest.config.js',
      config: moduleJestConfig(module, root),
      enableFindRelatedTests: false,
    },
    checkers: ['typescript'],
    tsconfigFile: CHECKER_TSCONFIG,
    coverageAnalysis: 'perTest',
    concurrency: 1,
    incremental: true,
    // Incremental mode keeps a survivor of a module-level constant (a static mutant) even after a new test kills it.
    force,
    incrementalFile: incrementalFile(module, root),
    reporters: ['progress'],
    plugins: ['@stryker-mutator/jest-runner', '@stryker-mutator/typescript-checker'],
    // Not under node_modules: Jest ignores every test file whose path has node_modules in it.
    tempDirName: '.stryker-tmp',
    // Copied into the sandbox otherwise. bench/ is a Jest root and the alarm catalogue's tests read docs/runbooks/.
    ignorePatterns: ['client', 'docs/*', '!docs/runbooks', 'cdk.out', '.bench', 'coverage'],
    cleanTempDir: 'always',
    logLevel: process.env.MIKO_MUTATION_LOG_LEVEL ?? 'warn',
    fileLogLevel: 'off',
    // Servers, a real PostgreSQL and SDK retries: a mutant that makes a test hang is detected by this timeout.
    timeoutMS: 10_000,
    thresholds: { high: 85, low: 85, break: null },
  };
}

/** Runs Stryker for `module` in `root` and returns every mutant's outcome. */
export async function runStryker(
  module: MutationModule,
  root: string,
  { force }: { force: boolean },
): Promise<MutantOutcome[]> {
  // An ES module that Node 24 requires as CommonJS; its types need moduleResolution node16, which this repo does not use.
  const { Stryker } = require('@stryker-mutator/core') as {
    Stryker: new (options: object) => { runMutationTest(): Promise<MutantOutcome[]> };
  };
  const tsconfig = join(root, CHECKER_TSCONFIG);
  writeFileSync(tsconfig, `${JSON.stringify(checkerTsconfig(module), null, 2)}\n`);
  try {
    return await new Stryker(strykerOptions(module, root, force)).runMutationTest();
  } finally {
    rmSync(tsconfig, { force: true });
  }
}
