/**
 * What each declared CSP addition costs in Observatory points (pure): the environment's header set is scored with
 * all of its `csp` additions, then once without each source in turn. docs/readme/app-build.md prints the result
 * next to each addition's risk, and a test keeps the two in step.
 */
import type { EnvironmentConfig } from '../config';
import type { ExtensibleDirective } from '../config/csp';
import { scoreObservatory } from './observatory-score';
import { securityHeaderSet } from './security-header-values';

export interface OptInCost {
  readonly directive: ExtensibleDirective;
  readonly source: string;
  /** Points the score loses because of this source (0 when the Observatory does not see it). */
  readonly points: number;
}

type Scored = Pick<EnvironmentConfig, 'backends' | 'site' | 'csp'>;

/** The score of the environment's headers with `html` at `/`, HSTS preload listed (the Observatory's best case). */
export function headerScore(config: Scored, html: string): number {
  const { headers } = securityHeaderSet({ ...config, site: { ...config.site, contentSecurityPolicy: 'enforce' } });
  return scoreObservatory(headers, { html, hstsPreloaded: true }).score;
}

export function optInCosts(config: Scored, html: string): OptInCost[] {
  const withAll = headerScore(config, html);
  return Object.entries(config.csp).flatMap(([directive, sources]) => (sources ?? []).map((source) => {
    const without = { ...config.csp, [directive]: (sources ?? []).filter((s) => s !== source) };
    return { directive: directive as ExtensibleDirective, source, points: headerScore({ ...config, csp: without }, html) - withAll };
  }));
}
