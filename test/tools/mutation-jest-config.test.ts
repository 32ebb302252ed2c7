/**
 * The Jest config `npm run mutation` gives Stryker, run in a child Jest exactly as Stryker's Jest runner merges and
 * runs it: each of the module's test files runs once. The suite's two projects each kept their own testMatch under
 * a top-level one, so every mutant ran its tests twice.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { MUTATION_MODULES } from '../../scripts/mutation/modules';
import { strykerOptions } from '../../scripts/mutation/run-stryker';

const ROOT = join(__dirname, '..', '..');

/** What Stryker's Jest runner does: the file's config, then ours over it, then runCLI in band over the root. */
const RUN_AS_STRYKER = `
const { runCLI } = require('jest');
const config = { ...require('./jest.config.js'), ...JSON.parse(process.argv[1]) };
runCLI({ $0: 'stryker', _: [], config: JSON.stringify(config), runInBand: true, silent: true }, [process.cwd()]).then(
  ({ results }) => process.stdout.write(JSON.stringify(results.testResults.map((t) => [t.testFilePath, t.numPassingTests]))),
);
`;

test("runs each of a module's test files once, and all of its tests", () => {
  const module = MUTATION_MODULES.find((m) => m.name === 'backup-manifest')!;
  const { config } = (strykerOptions(module, ROOT) as { jest: { config: object } }).jest;
  const ran = JSON.parse(
    execFileSync(process.execPath, ['-e', RUN_AS_STRYKER, JSON.stringify(config)], { cwd: ROOT, encoding: 'utf8' }),
  ) as Array<[string, number]>;
  expect(ran.map(([file]) => file)).toEqual(module.tests.map((file) => join(ROOT, file)));
  expect(ran[0][1]).toBeGreaterThan(10);
});
