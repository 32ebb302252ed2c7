/**
 * The released app loaded in a Chromium that we run, from the CI runner: any exception it throws on load fails
 * the release (exit 1, the workflow rolls back). Browsers' own error reports never decide this: anyone can send them.
 */
import { CheckResult, couldNotCheck, fail, pass } from './check';
import type { DetectionRow } from '../../tools/analysis/time-to-detect';
import { CHROMIUM_LAUNCH_S, PAGE_LOAD_TIMEOUT_MS, PAGE_SETTLE_MS, pageErrorsOf } from '../lib/page-errors';

const NAME = 'app in Chromium';

export async function checkAppInBrowser(url: string): Promise<CheckResult> {
  let errors;
  try {
    errors = await pageErrorsOf(url);
  } catch (error) {
    return couldNotCheck(NAME, `cannot run Chromium: ${(error as Error).message}`);
  }
  if (errors.length > 0)
    return fail(
      NAME,
      `${errors.length} page error(s) loading ${url}: ${errors.map((e) => `${e.kind}: ${e.message}`).join('; ')}`,
    );
  return pass(NAME, `loaded ${url} and watched it ${PAGE_SETTLE_MS / 1000} s after load: no page error`);
}

/** verify's HTTP checks before Chromium starts, against a site that answers (about 1 s measured; assumed 2 s). */
export const SITE_CHECKS_S = 2;

/** The trusted path for a release that throws on load, from the moment `cdk deploy` returns (npm run ttd). */
export function browserCheckTimeToDetect(): DetectionRow {
  const loadS = PAGE_LOAD_TIMEOUT_MS / 1000;
  const settleS = PAGE_SETTLE_MS / 1000;
  return {
    alarm: "verify's Chromium: release throws on load → exit 1 → rollback",
    seconds: SITE_CHECKS_S + CHROMIUM_LAUNCH_S + loadS + settleS,
    how: `HTTP checks ${SITE_CHECKS_S} s + Chromium start ${CHROMIUM_LAUNCH_S} s + load ≤${loadS} s + watch ${settleS} s; no settle window once bad`,
  };
}
