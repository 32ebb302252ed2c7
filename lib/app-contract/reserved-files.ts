/**
 * Files the deploy writes into every release itself: a build that ships its own would be overwritten at upload
 * (or, worse, would be what the app reads in local testing and then silently differ in production).
 */
import type { AppContractProblem, BuildFiles } from './index';

const RESERVED: Record<string, string> = {
  'config.json': "the environment's public runtime config, written per environment at deploy",
  'version.json': 'the release id, commit and build time, written at deploy',
  'flags.json':
    "the feature flags' current values, answered by the edge from the release store (never the build's file)",
};

export function checkReservedFiles(files: BuildFiles): AppContractProblem[] {
  return Object.entries(RESERVED)
    .filter(([file]) => files.has(file))
    .map(([file, what]) => ({
      file,
      message: `is ${what}; the build's own copy would be replaced. Fix: remove it from the app's public/ folder and read the deployed one at run time (fetch('/${file}')).`,
    }));
}
