/** Every test file runs in exactly one Jest project, chosen by what it uses (test/support/jest-projects.js). */
import { relative } from 'node:path';
import { integrationReasons, ROOT, testFiles } from './support/jest-projects';

const config = require('../jest.config.js') as { projects: Array<{ displayName: string; testMatch: string[] }> };

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
});
