/**
 * The Stage's construct id per environment: `npx cdk deploy 'Production/*'`. Its own module, so the commands that
 * only name stacks (verify, rollback, …) do not load every stack of the app to learn a word.
 */
import type { EnvironmentName } from './config';

export const STAGE_IDS: Record<EnvironmentName, string> = { staging: 'Staging', production: 'Production' };
