/** The Observatory price of each declared CSP addition (the real MDN Observatory), as docs/readme/app-build.md states it. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { committedConfig } from '../../lib/config';
import { headerScores, OptInCost, optInCosts } from '../../scripts/lib/csp-opt-in-cost';
import { FIXTURE_APP_DIST } from '../fixtures/real-app/sources';

const OWN_SCRIPTS_ONLY = '<script type="module" src="/assets/index-1a2b3c4d.js" integrity="sha384-abc"></script>';
const GOOGLE_IDENTITY_TAG = '<script src="https://accounts.google.com/gsi/client" async defer></script>';
const ENVIRONMENTS = [
  ['staging', committedConfig.staging],
  ['production', committedConfig.production],
] as const;

/** Each environment's header set with its declared additions, with none, and with the Google Identity tag. */
const scoringsOf = (config: typeof committedConfig.staging) => [
  { config, html: OWN_SCRIPTS_ONLY },
  { config: { ...config, csp: {} }, html: OWN_SCRIPTS_ONLY },
  { config, html: OWN_SCRIPTS_ONLY + GOOGLE_IDENTITY_TAG },
];
// Both environments' header sets in one Observatory process, their additions' prices in another: each process costs
// half a second of CPU.
let scores: Record<string, { declared: number; noAdditions: number; withGoogleIdentity: number }>;
let costs: Record<string, OptInCost[]>;
beforeAll(() => {
  const all = headerScores(ENVIRONMENTS.flatMap(([, config]) => scoringsOf(config)));
  scores = Object.fromEntries(
    ENVIRONMENTS.map(([name], i) => {
      const [declared, noAdditions, withGoogleIdentity] = all.slice(3 * i, 3 * i + 3);
      return [name, { declared, noAdditions, withGoogleIdentity }];
    }),
  );
  const prices = optInCosts(ENVIRONMENTS.map(([, config]) => ({ config, html: OWN_SCRIPTS_ONLY })));
  costs = Object.fromEntries(ENVIRONMENTS.map(([name], i) => [name, prices[i]]));
});

describe.each(ENVIRONMENTS)("%s's declared CSP additions", (name, config) => {
  it('cost 0 points each: the default header set keeps 135 (A+)', () => {
    expect(scores[name].declared).toBe(135);
    expect(costs[name].map((c) => `${c.directive} ${c.source}`).sort()).toEqual(
      Object.entries(config.csp)
        .flatMap(([d, s]) => s!.map((x) => `${d} ${x}`))
        .sort(),
    );
    expect(costs[name].filter((c) => c.points !== 0)).toEqual([]);
  });

  it("the real app's Google Identity script tag costs 10 points (it cannot carry SRI), still A+", () => {
    expect(scores[name].noAdditions).toBe(135);
    // The real app's Google Identity tag: SRI +5 becomes -5.
    expect(scores[name].withGoogleIdentity).toBe(125);
    expect(readFileSync(join(FIXTURE_APP_DIST, 'index.html'), 'utf8')).toContain(GOOGLE_IDENTITY_TAG);
  });
});
