/**
 * The Stage's construct id per environment (`npx cdk deploy 'Production/*'`), apart from lib/stage.ts so that
 * tools reading an assembly can name its stages without loading every stack's constructs.
 */
import type { EnvironmentName } from './config';

export const STAGE_IDS: Record<EnvironmentName, string> = { staging: 'Staging', production: 'Production' };
