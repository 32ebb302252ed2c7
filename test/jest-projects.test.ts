/** Every test file runs in exactly one Jest project, chosen by what it uses (test/support/jest-projects.js). */
import { relative } from 'node:path';
import { integrationReasons, ROOT, testFiles } from './support/jest-projects';

const config = require('../jest.config.js') as {
  projects: Array<{ displayName: string; testMatch: string[]; setupFilesAfterEnv?: string[] }>;
};

describe('the Jest projects', () => {
  it('are unit and integration, and npm test runs both', () => {
    expect(config.projects.map((p) => p.displayName)).toEqual(['unit', 'integration']);
    expect(require('../package.json').scripts.test).toBe('jest');
  });

  it('hold every *.test.ts exactly once', () => {
    const claims = testFiles().map((file) => ({
      file: relative(ROOT, file),
      projects: config.projects.filter((p) => p.testMatch.includes(file)).map((p) => p.displayName),
    }));
    const wrong = claims.filter((c) => c.projects.length !== 1);
    // Fix: keep test files under test/ and named *.test.ts; jest.config.js assigns each one from what it uses.
    expect(wrong).toEqual([]);
    expect(claims.length).toBeGreaterThan(70);
  });

  it('put a file that reads the whole app, a browser, PostgreSQL or a child process in integration', () => {
    const inUnit = config.projects.find((p) => p.displayName === 'unit')!.testMatch;
    expect(inUnit.filter((file) => integrationReasons(file).length > 0)).toEqual([]);
    expect(integrationReasons(`${ROOT}/test/app.test.ts`)).toContain(
      'reads the whole-app synth (test/support/assembly)',
    );
    expect(inUnit.map((f) => relative(ROOT, f))).toContain('test/monitoring/platform-alarm.test.ts');
  });

  it('follow a test into its own helpers: the game days read the app and run a command through rehearse.ts', () => {
    expect(integrationReasons(`${ROOT}/test/gameday/rehearsals.test.ts`)).toEqual(
      expect.arrayContaining([
        'reads the whole-app synth (test/support/assembly)',
        'starts child processes (git, a command, node)',
      ]),
    );
  });

  it('give both projects the shared setup, so every test of either must assert', () => {
    for (const project of config.projects)
      expect([project.displayName, project.setupFilesAfterEnv]).toEqual([
        project.displayName,
        ['<rootDir>/test/support/every-test-asserts.ts'],
      ]);
  });
});
