/**
 * One verification check's outcome, printed as one line. A failed check means the release is bad; a check that
 * could not be made (an API unreachable, an alarm not deployed) is neither good nor bad, and `verify` says so with
 * its own exit code, so the workflow never rolls a release back because CloudWatch was unreachable.
 */
export interface CheckResult {
  /** What was checked, e.g. "header Strict-Transport-Security" or "cache /assets/index-abc.js". */
  readonly name: string;
  readonly ok: boolean;
  /** Set when the check could not be made at all (ok is then false). */
  readonly unknown?: true;
  /** What was seen (and, on failure, what was expected instead). */
  readonly detail: string;
}

export const pass = (name: string, detail: string): CheckResult => ({ name, ok: true, detail });
export const fail = (name: string, detail: string): CheckResult => ({ name, ok: false, detail });
export const couldNotCheck = (name: string, detail: string): CheckResult => ({
  name,
  ok: false,
  unknown: true,
  detail,
});

export function formatResult(result: CheckResult): string {
  return `${result.ok ? 'PASS' : result.unknown ? 'UNKNOWN' : 'FAIL'}  ${result.name}: ${result.detail}`;
}

/** verify's exit codes: 2 is a usage error (bad arguments). */
export const EXIT = { good: 0, releaseBad: 1, usage: 2, couldNotCheck: 3 } as const;

export function exitCodeFor(results: readonly CheckResult[]): number {
  if (results.some((r) => !r.ok && !r.unknown)) return EXIT.releaseBad;
  if (results.some((r) => r.unknown)) return EXIT.couldNotCheck;
  return EXIT.good;
}
