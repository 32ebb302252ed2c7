/**
 * Which stages the app has and how a synth picks them. Its own module, so the commands that only name stacks or
 * environments (synth, diff, verify, rollback, …) do not load every stack of the app to learn a word.
 */
import type { EnvironmentName } from './config';

/** The Stage's construct id per environment: `npx cdk deploy 'Production/*'`. */
export const STAGE_IDS: Record<EnvironmentName, string> = { staging: 'Staging', production: 'Production' };

/**
 * The context key `npm run synth -- --env <name>` sets: synthesize only these environments (comma-separated), for a
 * faster inner loop. The config of both is still validated, so cross-environment rules keep holding.
 */
export const ENVIRONMENTS_CONTEXT_KEY = 'miko:environments';
