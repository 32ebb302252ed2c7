/**
 * Two projects: `unit` (pure code, handlers against local stand-ins, at most a small stack of its own) for the inner
 * loop, `npx jest --selectProjects unit`; `integration` (the whole-app synth, Chromium, PostgreSQL, child
 * processes). A file's project follows from what it uses (test/support/jest-projects.js). `npm test` runs both.
 * Tests are TypeScript compiled by esbuild; type checking is `npm run typecheck`'s job.
 */
const { projectFiles } = require('./test/support/jest-projects');

const files = projectFiles();

const shared = {
  testEnvironment: 'node',
  // Sources are roots too, so `--findRelatedTests lib/x.ts` finds the tests that import x.
  roots: ['test', 'lib', 'lambda', 'jobs', 'scripts', 'tools', 'bin', 'bench'].map((dir) => `<rootDir>/${dir}`),
  // The fixture app's own install (only present after npm run build:fixture-app) is not part of the suite.
  modulePathIgnorePatterns: ['<rootDir>/test/fixtures/real-app/node_modules'],
  transform: { '^.+\\.tsx?$': '<rootDir>/test/support/esbuild-jest.js' },
  setupFiles: ['<rootDir>/test/support/test-apps.ts'],
  // A project option: Jest ignores it at the top level of a multi-project config.
  setupFilesAfterEnv: ['<rootDir>/test/support/every-test-asserts.ts'],
};

module.exports = {
  projects: [
    { ...shared, displayName: 'unit', testMatch: files.unit },
    { ...shared, displayName: 'integration', testMatch: files.integration },
  ],
  // The synthesized app is made on first use and cached on disk (test/support/cached-assembly.ts). The run gets a
  // private temp dir, removed at the end.
  globalSetup: '<rootDir>/test/support/private-tmp-setup.ts',
  globalTeardown: '<rootDir>/test/support/private-tmp-teardown.ts',
  testSequencer: '<rootDir>/test/support/long-first-sequencer.js',
  testTimeout: 60000,
  // Many files wait (a browser, a server, a probe slot) rather than compute: one worker more than the cores keeps
  // both busy. (A count, not '150%': jest 29 reads a percentage over 100 as that many workers.)
  maxWorkers: require('node:os').availableParallelism() + 1,
};
