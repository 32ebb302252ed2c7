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
  /** The mutated code, where the line has other mutants of the same mutator that tests must still kill. */
  readonly replacement?: string;
  readonly reason: string;
}

export interface MutationModule {
  readonly name: string;
  /** What the module decides, for the report. */
  readonly guards: string;
  readonly mutate: readonly string[];
  readonly tests: readonly string[];
  readonly equivalents?: readonly Equivalent[];
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
      'test/secrets/google-rotator.test.ts',
      'test/secrets/provider-http.test.ts',
      'test/secrets/rotation-engine.test.ts',
      'test/secrets/supabase-rotator.test.ts',
    ],
    equivalents: [
      {
        file: 'lambda/rotation/rotators/google-api-key.ts',
        line: 209,
        mutator: 'ArrayDeclaration',
        reason:
          'a kept secret without a key id then adds "Stryker was here" to the kept ids; Google key ids have no spaces, so it spares no key',
      },
      {
        file: 'lambda/rotation/rotators/provider-http.ts',
        line: 72,
        mutator: 'StringLiteral',
        reason:
          "an unreadable body's fallback text is only parsed inside try: '' and non-JSON both give body undefined",
      },
      {
        file: 'lambda/rotation/rotators/provider-http.ts',
        line: 72,
        mutator: 'ArrowFunction',
        reason:
          "an unreadable body's fallback text is only tested for truth: undefined and '' both give body undefined",
      },
      {
        file: 'lambda/rotation/rotators/provider-http.ts',
        line: 53,
        mutator: 'ConditionalExpression',
        reason: 'JSON.stringify(undefined) is undefined: without the check, a call with no body still sends none',
      },
      {
        file: 'lambda/rotation/rotators/provider-http.ts',
        line: 76,
        mutator: 'BlockStatement',
        reason: '`let body` starts undefined, so emptying the catch that sets it to undefined changes nothing',
      },
    ],
  },
  {
    name: 'telemetry-intake',
    guards: 'the telemetry intake: what a browser (an outsider) may send, and what of it is kept',
    mutate: ['lambda/telemetry/intake.ts'],
    tests: ['test/telemetry/intake.test.ts', 'test/telemetry/collector.test.ts'],
    equivalents: [
      {
        file: 'lambda/telemetry/intake.ts',
        line: 141,
        mutator: 'Regex',
        reason:
          'split(/\\s/, 1) and split(/\\s+/, 1) give the same first word: the first piece ends at the first space',
      },
      {
        file: 'lambda/telemetry/intake.ts',
        line: 141,
        mutator: 'StringLiteral',
        reason: 'a non-string directive becomes any word not in DIRECTIVES: it is counted as "other" either way',
      },
      {
        file: 'lambda/telemetry/intake.ts',
        line: 166,
        mutator: 'StringLiteral',
        reason: "a missing Content-Type defaults to a type no endpoint accepts ('' or any other word): 415 either way",
      },
      {
        file: 'lambda/telemetry/intake.ts',
        line: 190,
        mutator: 'StringLiteral',
        reason:
          "eventsOf's default Content-Type only matters as 'not application/reports+json', which any other default is",
      },
      {
        file: 'lambda/telemetry/intake.ts',
        line: 290,
        mutator: 'StringLiteral',
        reason: "pagePath('') is pagePath('/'): a path without its leading slash is given one",
      },
      {
        file: 'lambda/telemetry/intake.ts',
        line: 325,
        mutator: 'StringLiteral',
        reason: "pagePath('') is pagePath('/'): a path without its leading slash is given one",
      },
    ],
  },
  {
    name: 'telemetry-redaction',
    guards: 'the telemetry redaction: no patient data in logs or notices',
    mutate: ['lambda/telemetry/redact.ts'],
    // Not redaction-corpus.test.ts: it reads the synthesized app, whose cache key hashes lambda/, so the sandbox's
    // instrumented redact.ts would synthesize a new app; redaction-fields.test.ts runs the same corpus in process.
    tests: [
      'test/telemetry/pure-modules.test.ts',
      'test/telemetry/redaction-fields.test.ts',
      'test/telemetry/redaction-shapes.test.ts',
      'test/telemetry/intake.test.ts',
    ],
    equivalents: [
      {
        file: 'lambda/telemetry/redact.ts',
        line: 90,
        mutator: 'Regex',
        replacement: String.raw`/^(?:[a-z][a-z0-9+.-]*:\/\/\S+?(?::\d+)|<anonymous>|native|\[native code\])$/i`,
        reason:
          "the lazy \\S+? takes in a ':line' before the last ':column', so one ':\\d+' matches what one or two do",
      },
      {
        file: 'lambda/telemetry/redact.ts',
        line: 115,
        mutator: 'ArrayDeclaration',
        reason:
          "a non-empty start shifts every index alike: hide() numbers by push()'s return, so restore() finds each value",
      },
      {
        file: 'lambda/telemetry/redact.ts',
        line: 150,
        mutator: 'ConditionalExpression',
        reason: "a separator's verdict (even index) is never read: only words' verdicts (odd indexes) are",
      },
      {
        file: 'lambda/telemetry/redact.ts',
        line: 150,
        mutator: 'ArithmeticOperator',
        reason: "a separator's verdict (even index) is never read: only words' verdicts (odd indexes) are",
      },
      {
        file: 'lambda/telemetry/redact.ts',
        line: 271,
        mutator: 'OptionalChaining',
        reason: 'when the scheme pattern matches, its one capture group always exists',
      },
      {
        file: 'lambda/telemetry/redact.ts',
        line: 275,
        mutator: 'Regex',
        reason:
          "a parsed hostname has '[' only first (IPv6), and one ending in four numbers is an IPv4 address or rejected",
      },
      {
        file: 'lambda/telemetry/redact.ts',
        line: 139,
        mutator: 'ConditionalExpression',
        reason: 'a route without a leading slash has no empty first segment, which every path has: it never matches',
      },
      {
        file: 'lambda/telemetry/redact.ts',
        line: 139,
        mutator: 'StringLiteral',
        reason: 'a route without a leading slash has no empty first segment, which every path has: it never matches',
      },
      {
        file: 'lambda/telemetry/redact.ts',
        line: 143,
        mutator: 'ConditionalExpression',
        reason: 'isCode is only called with minLength 1, and a word is never empty',
      },
      {
        file: 'lambda/telemetry/redact.ts',
        line: 160,
        mutator: 'ConditionalExpression',
        reason:
          "out of range, verdicts[j] is undefined (neither 'drop' nor name-like): the bound never changes the answer",
      },
      {
        file: 'lambda/telemetry/redact.ts',
        line: 160,
        mutator: 'LogicalOperator',
        reason:
          "out of range, verdicts[j] is undefined (neither 'drop' nor name-like): the bound never changes the answer",
      },
      {
        file: 'lambda/telemetry/redact.ts',
        line: 160,
        mutator: 'EqualityOperator',
        reason:
          "out of range, verdicts[j] is undefined (neither 'drop' nor name-like): the bound never changes the answer; j is odd, never 0",
      },
      {
        file: 'lambda/telemetry/redact.ts',
        line: 163,
        mutator: 'EqualityOperator',
        reason: 'at i = parts.length verdicts[i] is undefined: not name-like, nothing changes',
      },
      {
        file: 'lambda/telemetry/redact.ts',
        line: 166,
        mutator: 'StringLiteral',
        reason:
          'split with a capture group gives an odd count: a word always has a separator after it, the ?? default is unused',
      },
      {
        file: 'lambda/telemetry/redact.ts',
        line: 168,
        mutator: 'StringLiteral',
        reason:
          'split with a capture group gives an odd count: a word always has a separator after it, the ?? default is unused',
      },
      {
        file: 'lambda/telemetry/redact.ts',
        line: 171,
        mutator: 'BooleanLiteral',
        reason:
          'name-like neighbours count as glue, so every name word is dropped in the first pass: a second never changes anything',
      },
      {
        file: 'lambda/telemetry/redact.ts',
        line: 180,
        mutator: 'ConditionalExpression',
        reason: "out of range, verdicts[i ± 1] is undefined, never 'drop'; i is even, so i > 1 is i >= 1",
      },
      {
        file: 'lambda/telemetry/redact.ts',
        line: 180,
        mutator: 'LogicalOperator',
        reason: "out of range, verdicts[i ± 1] is undefined, never 'drop'",
      },
      {
        file: 'lambda/telemetry/redact.ts',
        line: 180,
        mutator: 'EqualityOperator',
        reason: 'i is even here, so i > 1 is i >= 1',
      },
      {
        file: 'lambda/telemetry/redact.ts',
        line: 181,
        mutator: 'ConditionalExpression',
        reason: "out of range, verdicts[i + 1] is undefined, never 'drop'",
      },
      {
        file: 'lambda/telemetry/redact.ts',
        line: 181,
        mutator: 'EqualityOperator',
        reason: "out of range, verdicts[i + 1] is undefined, never 'drop'",
      },
      {
        file: 'lambda/telemetry/redact.ts',
        line: 181,
        mutator: 'ArithmeticOperator',
        reason: "out of range, verdicts[i + 1] is undefined, never 'drop'",
      },
      {
        file: 'lambda/telemetry/redact.ts',
        line: 189,
        mutator: 'EqualityOperator',
        reason: 'i is odd here, so i > 2 is i >= 2',
      },
      {
        file: 'lambda/telemetry/redact.ts',
        line: 189,
        mutator: 'ConditionalExpression',
        reason: "at i = 1, verdicts[-1] is undefined, never 'drop'",
      },
      {
        file: 'lambda/telemetry/redact.ts',
        line: 229,
        mutator: 'ConditionalExpression',
        reason:
          'only a URL ending in :line passes CODE_LOCATION with a suffix; <anonymous>, native, [native code] have none either way',
      },
      {
        file: 'lambda/telemetry/redact.ts',
        line: 229,
        mutator: 'LogicalOperator',
        reason:
          'only a URL ending in :line passes CODE_LOCATION with a suffix; <anonymous>, native, [native code] have none either way',
      },
      {
        file: 'lambda/telemetry/redact.ts',
        line: 229,
        mutator: 'Regex',
        reason:
          'only a URL ending in :line passes CODE_LOCATION with a suffix; <anonymous>, native, [native code] have none either way',
      },
      {
        file: 'lambda/telemetry/redact.ts',
        line: 229,
        mutator: 'MethodExpression',
        reason:
          'only a URL ending in :line passes CODE_LOCATION with a suffix; <anonymous>, native, [native code] have none either way',
      },
      {
        file: 'lambda/telemetry/redact.ts',
        line: 229,
        mutator: 'StringLiteral',
        reason: 'the ?? default is unused: a value that passed CODE_LOCATION as a URL always ends in :line',
      },
      {
        file: 'lambda/telemetry/redact.ts',
        line: 262,
        mutator: 'ConditionalExpression',
        reason: "segment 0 is always '' (every path is given its leading slash), which the next test keeps",
      },
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
      ...[46, 127, 160].map((line) => ({
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
      ...[87, 90, 159].map((line) => ({
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
    equivalents: [
      {
        file: 'scripts/verify/alarm-check.ts',
        line: 74,
        mutator: 'StringLiteral',
        reason:
          "a nameless alarm's placeholder is only a Map key; critical names are all miko-<env>-critical-…, never '?' or ''",
      },
      {
        file: 'scripts/verify/alarm-check.ts',
        line: 75,
        mutator: 'StringLiteral',
        reason: "a missing state is only ever compared with 'ALARM' (never printed): '?' and '' both differ from it",
      },
      {
        file: 'scripts/verify/site-checks.ts',
        line: 35,
        mutator: 'StringLiteral',
        reason: "a missing Content-Type's stand-in, '' or any other text, does not start with text/html either way",
      },
      {
        file: 'scripts/verify/site-checks.ts',
        line: 78,
        mutator: 'StringLiteral',
        reason:
          "on()'s name is used only when its request failed; '/' has already answered (else checkSite returned early)",
      },
      {
        file: 'scripts/verify/site-checks.ts',
        line: 87,
        mutator: 'StringLiteral',
        reason:
          "on()'s name is used only when its request failed; '/' has already answered (else checkSite returned early)",
      },
    ],
  },
  {
    name: 'diff-summary',
    guards: 'the diff summary: a stateful resource replaced or deleted fails the pull request',
    mutate: ['scripts/ci/diff-summary.ts'],
    tests: ['test/delivery/diff-summary.test.ts'],
    equivalents: [
      {
        file: 'scripts/ci/diff-summary.ts',
        line: 261,
        mutator: 'Regex',
        reason: "test() needs one character after '=' either way: /^[^=]+=./ and /^[^=]+=.+/ accept the same strings",
      },
    ],
  },
  {
    name: 'alarm-catalogue',
    guards: 'the alarm catalogue: what pages on-call, at which threshold and period',
    mutate: ['lib/monitoring/alarm-catalogue.ts', 'lib/monitoring/platform-alarm.ts'],
    // The catalogue made into alarms on a small stack of the test's own: the cached whole-app synth sees no mutant.
    tests: ['test/monitoring/alarm-catalogue.test.ts', 'test/monitoring/platform-alarm.test.ts'],
    equivalents: [
      {
        file: 'lib/monitoring/alarm-catalogue.ts',
        line: 177,
        mutator: 'StringLiteral',
        reason: "CDK's Metric reads an empty statistic as its default, Average, which is the one this alarm names",
      },
    ],
  },
  {
    name: 'backup-manifest',
    guards: 'the backup manifest: what a backup must hold before a restore trusts it, and where it lives',
    mutate: ['jobs/backups/manifest.ts'],
    tests: ['test/backups/manifest.test.ts'],
    equivalents: [
      {
        file: 'jobs/backups/manifest.ts',
        line: 84,
        mutator: 'UnaryOperator',
        reason: 'every manifest key is backups/<env>/<run id>/manifest.json: its run id is both part 2 and part -2',
      },
    ],
  },
  {
    name: 'restore-checks',
    guards: 'the restore checks: a backup counts only once restored and proven',
    mutate: ['jobs/backups/restore.ts', 'jobs/backups/table-stats.ts'],
    tests: ['test/backups/backup-restore.test.ts', 'test/backups/supabase-recovery.test.ts'],
    equivalents: [
      {
        file: 'jobs/backups/restore.ts',
        line: 96,
        mutator: 'StringLiteral',
        reason: 'the prefix only names the scratch directory, and it is removed in finally whatever its name',
      },
      {
        file: 'jobs/backups/restore.ts',
        line: 108,
        mutator: 'StringLiteral',
        reason:
          "psql's -q only silences the command tags on stdout, which runTool captures and nobody reads; '' in its place is an empty database name, so PGDATABASE applies ('-X' is killed by the psqlrc test)",
      },
      {
        file: 'jobs/backups/restore.ts',
        line: 123,
        mutator: 'Regex',
        replacement: String.raw`/errors ignored on restore: \d/`,
        reason: 'test() is unanchored: a count of one digit or more matches wherever one digit does',
      },
      {
        file: 'jobs/backups/restore.ts',
        line: 147,
        mutator: 'BooleanLiteral',
        reason: 'force only matters for a missing path, and work is made by mkdtempSync above and removed only here',
      },
      {
        file: 'jobs/backups/restore.ts',
        line: 250,
        mutator: 'ConditionalExpression',
        reason:
          'plpgsql is in every database (template1 has it), so the skipped CREATE EXTENSION IF NOT EXISTS would change nothing',
      },
      {
        file: 'jobs/backups/restore.ts',
        line: 250,
        mutator: 'StringLiteral',
        reason:
          'plpgsql is in every database (template1 has it), so the skipped CREATE EXTENSION IF NOT EXISTS would change nothing',
      },
    ],
  },
];
