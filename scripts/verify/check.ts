/** One verification check's outcome: printed as one line, and any failure makes `verify` exit non-zero. */
export interface CheckResult {
  /** What was checked, e.g. "header Strict-Transport-Security" or "cache /assets/index-abc.js". */
  readonly name: string;
  readonly ok: boolean;
  /** What was seen (and, on failure, what was expected instead). */
  readonly detail: string;
}

export const pass = (name: string, detail: string): CheckResult => ({ name, ok: true, detail });
export const fail = (name: string, detail: string): CheckResult => ({ name, ok: false, detail });

export function formatResult(result: CheckResult): string {
  return `${result.ok ? 'PASS' : 'FAIL'}  ${result.name}: ${result.detail}`;
}
