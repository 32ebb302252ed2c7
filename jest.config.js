/** Tests are TypeScript compiled by esbuild (type checking is `npm run typecheck`'s job, not the test run's). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // The fixture app's own install (only present after npm run build:fixture-app) is not part of the suite.
  modulePathIgnorePatterns: ['<rootDir>/test/fixtures/real-app/node_modules'],
  transform: { '^.+\\.tsx?$': '<rootDir>/test/support/esbuild-jest.js' },
  // No synth here: the synthesized app is made on first use and cached on disk (test/support/cached-assembly.ts),
  // so a test file that does not read templates starts at once. The run gets a private temp dir, removed at the end.
  globalSetup: '<rootDir>/test/support/private-tmp-setup.ts',
  globalTeardown: '<rootDir>/test/support/private-tmp-teardown.ts',
  testSequencer: '<rootDir>/test/support/long-first-sequencer.js',
  setupFiles: ['<rootDir>/test/support/test-apps.ts'],
  setupFilesAfterEnv: ['<rootDir>/test/support/every-test-asserts.ts'],
  testTimeout: 60000,
  // Jest's default is one worker fewer than the cores: one worker on the 2-core machine. Many files wait (a browser,
  // a server, a probe slot) rather than compute, so one worker more than the cores keeps both busy. (A count, not
  // '150%': jest 29 reads a percentage over 100 as that many workers.)
  maxWorkers: require('node:os').availableParallelism() + 1,
};
