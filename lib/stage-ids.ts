/**
 * Which stages the app has and how a synth picks them. Its own module, so the commands that only name stacks or
 * environments (synth, diff, verify, rollback, …) do not load every stack of the app to learn a word.
 */
import { ENVIRONMENT_NAMES, EnvironmentName } from './config/schema';

/** The Stage's construct id per environment: `npx cdk deploy 'Production/*'`. */
export const STAGE_IDS: Record<EnvironmentName, string> = { staging: 'Staging', production: 'Production' };

/**
 * The context key `npm run synth -- --env <name>` sets: synthesize only these environments (comma-separated), for a
 * faster inner loop. The config of both is still validated, so cross-environment rules keep holding.
 */
export const ENVIRONMENTS_CONTEXT_KEY = 'miko:environments';

/** A `miko:environments` value naming an environment the app does not have. */
export class EnvironmentSelectionError extends Error {
  constructor(unknown: readonly string[]) {
    super(`--env ${unknown.join(',')} is not an environment. Fix: use ${ENVIRONMENT_NAMES.join(' or ')}.`);
    this.name = 'EnvironmentSelectionError';
  }
}

/** The environments a `miko:environments` context value selects: every one when it is absent or empty. */
export function selectedEnvironments(contextValue: unknown): readonly EnvironmentName[] {
  if (contextValue === undefined || contextValue === '') return ENVIRONMENT_NAMES;
  const names = String(contextValue)
    .split(',')
    .map((name) => name.trim());
  const unknown = names.filter((name) => !(ENVIRONMENT_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0) throw new EnvironmentSelectionError(unknown);
  return names as EnvironmentName[];
}
