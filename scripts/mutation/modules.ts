/**
 * The modules `npm run mutation` mutates: their files, the test files that may kill their mutants (only those run;
 * the whole suite per mutant would take hours), and the survivors judged equivalent, each with a checkable reason.
 * Template tests cannot kill a lib/ mutant: Stryker switches mutants in one process while the app is cached.
 */

/** The bar: every module that guards patients or on-call detects at least this share of its mutants. */
export const MUTATION_TARGET_PERCENT = 85;

/** A surviving mutant that no test can kill because the mutated program behaves the same. */
export interface Equivalent {
  /** Repository-relative path of the mutated file. */
  readonly file: string;
  /** The line the mutant starts on, as Stryker reports it. */
  readonly line: number;
  /** Stryker's mutator name (`ConditionalExpression`, `StringLiteral`, …). */
  readonly mutator: string;
  readonly reason: string;
}

export interface MutationModule {
  readonly name: string;
  /** What the module decides, for the report. */
  readonly guards: string;
  readonly mutate: readonly string[];
  readonly tests: readonly string[];
  readonly equivalents?: readonly Equivalent[];
  /** Not mutated now, and why (the report lists it). */
  readonly pending?: string;
}

export const MUTATION_MODULES: readonly MutationModule[] = [
  {
    name: 'rotation',
    guards: 'the rotation engine and rotators: AWSCURRENT only ever holds a value the provider accepts',
    mutate: [
      'lambda/rotation/engine.ts',
      'lambda/rotation/rotators/generated.ts',
      'lambda/rotation/rotators/google-api-key.ts',
      'lambda/rotation/rotators/provider-http.ts',
      'lambda/rotation/rotators/supabase-secret-key.ts',
    ],
    tests: [
      'test/secrets/generated-rotation.test.ts',
      'test/secrets/google-rotation.test.ts',
      'test/secrets/supabase-rotation.test.ts',
      'test/secrets/rotation-handler.test.ts',
      'test/secrets/provider-redirect.test.ts',
    ],
  },
  {
    name: 'telemetry-intake',
    guards: 'the telemetry intake: what a browser (an outsider) may send, and what of it is kept',
    mutate: ['lambda/telemetry/intake.ts'],
    tests: ['test/telemetry/collector.test.ts', 'test/telemetry/pure-modules.test.ts'],
  },
  {
    name: 'telemetry-redaction',
    guards: 'the telemetry redaction: no patient data in logs or notices',
    mutate: ['lambda/telemetry/redact.ts'],
    tests: [
      'test/telemetry/pure-modules.test.ts',
      'test/telemetry/collector.test.ts',
      'test/telemetry/redaction-corpus.test.ts',
    ],
  },
  {
    name: 'security-headers',
    guards: 'the security headers and the CSP every response carries, and what verify expects of the live site',
    mutate: [
      'lib/site/security-header-values.ts',
      'lib/site/content-security-policy.ts',
      'scripts/lib/response-headers.ts',
      'scripts/verify/expected-headers.ts',
    ],
    tests: [
      'test/site/content-security-policy.test.ts',
      // Also compares the cached template's headers with the in-process header set, so a mutant of the set shows.
      'test/delivery/expected-headers.test.ts',
    ],
  },
  {
    name: 'app-contract',
    guards: 'the app contract: what a build must be before it ships (no inline script, no secret, hashed assets)',
    mutate: [
      'lib/app-contract/index.ts',
      'lib/app-contract/html.ts',
      'lib/app-contract/index-html.ts',
      'lib/app-contract/reserved-files.ts',
      'lib/app-contract/secrets.ts',
    ],
    tests: ['test/app-contract/app-contract.test.ts'],
    equivalents: [
      {
        file: 'lib/app-contract/html.ts',
        line: 29,
        mutator: 'EqualityOperator',
        reason: "at the document's end indexOf finds no '<' either, and the loop ends the same way",
      },
      {
        file: 'lib/app-contract/html.ts',
        line: 30,
        mutator: 'StringLiteral',
        reason: "indexOf('') stops at every character; those that are not '<' fail the tag-name match and are skipped",
      },
      {
        file: 'lib/app-contract/html.ts',
        line: 41,
        mutator: 'ArithmeticOperator',
        reason: "resuming one character before the '>' finds the same next '<' ('<>' is text, not a tag)",
      },
      {
        file: 'lib/app-contract/html.ts',
        line: 55,
        mutator: 'Regex',
        reason: 'whitespace and slashes between attributes are skipped one at a time instead of all at once',
      },
      ...[46, 127, 161].map((line) => ({
        file: 'lib/app-contract/index-html.ts',
        line,
        mutator: 'ArrayDeclaration',
        reason: "for a directive the config lacks, a placeholder list holds no origin, hash or 'unsafe-inline' either",
      })),
      {
        file: 'lib/app-contract/index-html.ts',
        line: 86,
        mutator: 'StringLiteral',
        reason: 'a script without a type: the placeholder type is not a data-block type either',
      },
      ...[87, 90, 160].map((line) => ({
        file: 'lib/app-contract/index-html.ts',
        line,
        mutator: 'StringLiteral',
        reason: "the `?? ''` is never taken: the tokenizer always sets the text of a <script> or <style>",
      })),
      {
        file: 'lib/app-contract/index-html.ts',
        line: 98,
        mutator: 'StringLiteral',
        reason: "a link without rel: the placeholder rel is neither 'stylesheet' nor 'modulepreload' either",
      },
      {
        file: 'lib/app-contract/index-html.ts',
        line: 98,
        mutator: 'Regex',
        reason: 'splitting rel on each space instead of each run only adds empty tokens, which match no rel value',
      },
      {
        file: 'lib/app-contract/index-html.ts',
        line: 119,
        mutator: 'BlockStatement',
        reason: 'origin is already undefined when new URL throws, so the emptied catch leaves it the same',
      },
    ],
  },
  {
    name: 'release-pointer',
    guards: 'the release pointer and rollback: the live release moves atomically, only to a release that exists',
    mutate: ['lambda/shared/release-pointer.ts', 'lambda/release-pointer/handler.ts', 'scripts/rollback.ts'],
    tests: ['test/site/release-pointer.test.ts'],
    equivalents: [
      {
        file: 'lambda/release-pointer/handler.ts',
        line: 111,
        mutator: 'StringLiteral',
        reason: "'unknown error' is only for a thrown non-Error; movePointer's SDK calls and checks throw only Errors",
      },
      {
        file: 'lambda/shared/release-pointer.ts',
        line: 111,
        mutator: 'BooleanLiteral',
        reason: "Quiet only drops the per-key 'Deleted' entries from S3's answer, which the code does not read",
      },
      {
        file: 'lambda/shared/release-pointer.ts',
        line: 33,
        mutator: 'EqualityOperator',
        reason: '`>=` replaces an equal date with an equal date: the release keeps the same upload time',
      },
      {
        file: 'lambda/shared/release-pointer.ts',
        line: 68,
        mutator: 'LogicalOperator',
        reason:
          'S3 sends NextContinuationToken exactly when IsTruncated is true, so either test alone decides the same',
      },
      {
        file: 'lambda/shared/release-pointer.ts',
        line: 62,
        mutator: 'EqualityOperator',
        reason:
          'a bound of 101 pages instead of 100 ends a never-ending listing the same way; only a request count differs',
      },
    ],
  },
  {
    name: 'verify-judgement',
    guards: "verify's judgement: release bad (roll back), could not check (a person looks), or good",
    mutate: [
      'scripts/verify/alarm-check.ts',
      'scripts/verify/check.ts',
      'scripts/verify/site-checks.ts',
      'scripts/verify/cache-control.ts',
    ],
    // The fast in-process judgement tests; verify.test.ts runs the whole command, partly in a child process.
    tests: ['test/delivery/verify-judgement.test.ts'],
  },
  {
    name: 'diff-summary',
    guards: 'the diff summary: a stateful resource replaced or deleted fails the pull request',
    mutate: ['scripts/ci/diff-summary.ts'],
    tests: ['test/delivery/diff-summary.test.ts'],
  },
  {
    name: 'alarm-catalogue',
    guards: 'the alarm catalogue: what pages on-call, at which threshold and period',
    mutate: ['lib/monitoring/alarm-catalogue.ts', 'lib/monitoring/platform-alarm.ts'],
    // The catalogue made into alarms on a small stack of the test's own: the cached whole-app synth sees no mutant.
    tests: ['test/monitoring/alarm-catalogue.test.ts', 'test/monitoring/platform-alarm.test.ts'],
  },
  {
    name: 'backups',
    guards: 'the backup manifest and the restore checks: a backup counts only once restored and proven',
    mutate: ['jobs/backups/manifest.ts', 'jobs/backups/restore.ts', 'jobs/backups/table-stats.ts'],
    tests: ['test/backups/backup-restore.test.ts'],
  },
];
