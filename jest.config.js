/** Tests are TypeScript compiled by esbuild (type checking is `npm run typecheck`'s job, not the test run's). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // The fixture app's own install (only present after npm run build:fixture-app) is not part of the suite.
  modulePathIgnorePatterns: ['<rootDir>/test/fixtures/real-app/node_modules'],
  transform: { '^.+\\.tsx?$': '<rootDir>/test/support/esbuild-jest.js' },
  // The app is synthesized once for every test file; see test/support/assembly.ts.
  globalSetup: '<rootDir>/test/support/global-synth.ts',
  testTimeout: 60000,
};
