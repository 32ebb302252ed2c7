/**
 * What each declared CSP addition costs in Observatory points: the environment's header set is scored with all of
 * its `csp` additions, then once without each source in turn, by the real MDN Observatory (observatory.ts; every
 * variant in one process). docs/readme/app-build.md prints the result next to each addition's risk, and a test
 * keeps the two in step.
 */
import type { EnvironmentConfig } from '../../lib/config';
import type { ExtensibleDirective } from '../../lib/config/csp';
import { securityHeaderSet } from '../../lib/site/security-header-values';
import { observatoryScores } from './observatory';

export interface OptInCost {
  readonly directive: ExtensibleDirective;
  readonly source: string;
  /** Points the score loses because of this source (0 when the Observatory does not see it). */
  readonly points: number;
}

type Scored = Pick<EnvironmentConfig, 'backends' | 'site' | 'csp'>;

const headersOf = (config: Scored) => ({
  ...securityHeaderSet({ ...config, site: { ...config.site, contentSecurityPolicy: 'enforce' } }).headers,
  'Content-Type': 'text/html',
});

/** An environment's header set and the HTML served at `/` with it. */
export interface HeaderScoring {
  readonly config: Scored;
  readonly html: string;
}

/** The Observatory's score of each header set with its HTML at `/`, in order, from one Observatory process. */
export function headerScores(scorings: readonly HeaderScoring[]): number[] {
  return observatoryScores(scorings.map(({ config, html }) => ({ headers: headersOf(config), html }))).map(
    (r) => r.score,
  );
}

/** What each of a header set's `csp` additions costs, for every scoring given, in order, from one Observatory process. */
export function optInCosts(scorings: readonly HeaderScoring[]): OptInCost[][] {
  const each = scorings.map(({ config, html }) => {
    const additions = Object.entries(config.csp).flatMap(([directive, sources]) =>
      (sources ?? []).map((source) => ({ directive: directive as ExtensibleDirective, source })),
    );
    const variants = additions.map(({ directive, source }) => ({
      ...config,
      csp: {
        ...config.csp,
        [directive]: (config.csp[directive as ExtensibleDirective] ?? []).filter((s) => s !== source),
      },
    }));
    // With every addition first, then without each in turn.
    return { additions, scorings: [config, ...variants].map((c) => ({ config: c, html })) };
  });
  const scores = headerScores(each.flatMap((e) => e.scorings));
  let next = 0;
  return each.map(({ additions, scorings: own }) => {
    const [withAll, ...without] = scores.slice(next, (next += own.length));
    return additions.map((addition, i) => ({ ...addition, points: without[i] - withAll }));
  });
}
