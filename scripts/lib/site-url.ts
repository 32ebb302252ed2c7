/**
 * The site an operator command checks: https://<the environment's domain>, or MIKO_SITE_URL when set (the game
 * day's local preview), so a runbook's command is the same in a rehearsal and at 3 a.m.
 */
import { EnvironmentName, loadAppConfig } from '../../lib/config';

export function siteUrl(envName: EnvironmentName, env: NodeJS.ProcessEnv = process.env): string {
  return env.MIKO_SITE_URL || `https://${loadAppConfig()[envName].domain.name}`;
}
