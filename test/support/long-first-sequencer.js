/**
 * Jest's order, except that the files that take longest start first. Jest puts the slowest files first only when
 * its cache remembers their durations; a fresh clone (CI) has none, so it goes by file size, and the browser test,
 * a small file that runs 30 s (mostly waiting on Chromium), would start last and end the run alone.
 */
const Sequencer = require('@jest/test-sequencer').default;

/** Longest first (durations in docs/bench.md); a file missing here only loses its head start. */
const LONG_RUNNING = [
  'test/tools/setup.test.ts',
  'test/browser/fixture-app.test.ts',
  'test/tools/check-app-command.test.ts',
  'test/tools/offline-diff.test.ts',
  'test/tools/no-stale-state.test.ts',
  'test/backups/backup-restore.test.ts',
  'test/telemetry/end-to-end.test.ts',
  'test/prober/prober.test.ts',
];

class LongFirstSequencer extends Sequencer {
  sort(tests) {
    const rank = (test) => {
      const index = LONG_RUNNING.findIndex((file) => test.path.endsWith(file));
      return index === -1 ? LONG_RUNNING.length : index;
    };
    const ordered = super.sort(tests);
    return [...ordered].sort((a, b) => rank(a) - rank(b));
  }
}

module.exports = LongFirstSequencer;
