/**
 * A local site with the headers of a sample response-headers policy (and the paths it was asked for), and the names
 * of the checks that failed on it.
 */
import type { CheckResult } from '../../scripts/verify/check';
import { SiteFaults, startFakeSite } from '../../tools/stand-ins/site';
import { synthesizedHeaders } from './headers-policy';

export const failedChecks = (results: CheckResult[]) =>
  results
    .filter((r) => !r.ok)
    .map((r) => r.name)
    .sort();
export const HEADERS = synthesizedHeaders();

export async function withSite<T>(
  faults: SiteFaults,
  run: (url: string, paths: string[]) => Promise<T>,
  headers: Record<string, string> = HEADERS.values,
): Promise<T> {
  const site = await startFakeSite(headers, faults);
  try {
    return await run(site.url, site.paths);
  } finally {
    await site.close();
  }
}
