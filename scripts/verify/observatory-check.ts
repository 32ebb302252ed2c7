/**
 * `verify --score`: the MDN HTTP Observatory's grade for the live `/`, computed offline by the Observatory's own
 * analyzer on the headers and HTML just fetched (scripts/lib/observatory.ts), so no third-party scan is needed.
 */
import { observatoryScore } from '../lib/observatory';
import { CheckResult, fail, pass } from './check';

/** The site ships A+; anything less means a header or the release's SRI regressed. */
export const MINIMUM_OBSERVATORY_SCORE = 100;

export async function checkObservatoryScore(baseUrl: string, timeoutMs: number): Promise<CheckResult> {
  const name = 'observatory score';
  try {
    const response = await fetch(new URL('/', baseUrl), { signal: AbortSignal.timeout(timeoutMs) });
    const html = await response.text();
    const headers: Record<string, string> = {};
    response.headers.forEach((value, header) => {
      headers[header] = value;
    });
    const result = observatoryScore({ headers, html, hostname: new URL(baseUrl).hostname });
    const failing = Object.entries(result.tests)
      .filter(([, t]) => t.scoreModifier < 0)
      .map(([test, t]) => `${test} ${t.scoreModifier} (${t.result})`);
    const detail =
      `${result.score} (${result.grade}), ${result.testsPassed}/${result.testsQuantity} tests passed` +
      (failing.length ? `; losing points: ${failing.join(', ')}` : '');
    return result.score >= MINIMUM_OBSERVATORY_SCORE
      ? pass(name, detail)
      : fail(name, `${detail}; expected at least ${MINIMUM_OBSERVATORY_SCORE}`);
  } catch (error) {
    return fail(name, `could not score ${baseUrl}/: ${(error as Error).message}`);
  }
}
