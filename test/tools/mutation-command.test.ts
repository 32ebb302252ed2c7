/** `npm run mutation`, in process with canned Stryker outcomes: scores, explained survivors, the report, usage. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main, MutationIo } from '../../scripts/mutation';
import { MUTATION_MODULES, MutationModule } from '../../scripts/mutation/modules';
import { CHECKER_TSCONFIG, checkerTsconfig, INCREMENTAL_DIR, strykerOptions } from '../../scripts/mutation/run-stryker';
import { allModulesTime, StoredRun } from '../../scripts/mutation/report';
import { MutantOutcome, scoreModule } from '../../scripts/mutation/score';
import { testTempDir } from '../support/temp-dir';

const ROOT = '/repo';
const outcome = (status: string, line = 9, mutatorName = 'ConditionalExpression'): MutantOutcome => ({
  fileName: `${ROOT}/scripts/x.ts`,
  mutatorName,
  replacement: 'true',
  status,
  location: { start: { line } },
});
const MODULE: MutationModule = {
  name: 'x',
  guards: 'x',
  mutate: ['scripts/x.ts'],
  tests: ['test/x.test.ts'],
  equivalents: [
    { file: 'scripts/x.ts', line: 20, mutator: 'StringLiteral', reason: 'the message is not behaviour' },
    { file: 'scripts/x.ts', line: 99, mutator: 'BlockStatement', reason: 'gone' },
  ],
};

describe('a module score', () => {
  it('is detected (killed, timed out) over detected plus unexplained survivors; compile errors count neither way', () => {
    const score = scoreModule(
      MODULE,
      [
        ...Array.from({ length: 16 }, () => outcome('Killed')),
        outcome('Timeout'),
        outcome('Survived', 12),
        outcome('NoCoverage', 13),
        outcome('Survived', 20, 'StringLiteral'),
        outcome('CompileError'),
      ],
      ROOT,
    );
    expect(score).toMatchObject({ mutants: 21, detected: 17, percent: 89.4 });
    expect(score.survivors.map((s) => [s.file, s.line, s.status])).toEqual([
      ['scripts/x.ts', 12, 'Survived'],
      ['scripts/x.ts', 13, 'NoCoverage'],
    ]);
    expect(score.equivalent).toEqual([expect.objectContaining({ line: 20, reason: 'the message is not behaviour' })]);
    expect(score.staleEquivalents.map((e) => e.line)).toEqual([99]);
  });

  it('explains a survivor by its replacement too, where the equivalent names one', () => {
    const narrow: MutationModule = {
      ...MODULE,
      equivalents: [{ file: 'scripts/x.ts', line: 9, mutator: 'Regex', replacement: '/a/', reason: 'same strings' }],
    };
    const regex = (replacement: string): MutantOutcome => ({ ...outcome('Survived', 9, 'Regex'), replacement });
    const score = scoreModule(narrow, [regex('/a/'), regex('/b/')], ROOT);
    expect(score.equivalent.map((e) => e.replacement)).toEqual(['/a/']);
    expect(score.survivors.map((s) => s.replacement)).toEqual(['/b/']);
  });

  it('is 100 when nothing could be detected, and rounds down (84.99 is below 85)', () => {
    expect(scoreModule(MODULE, [outcome('CompileError')], ROOT).percent).toBe(100);
    const nearly = [
      ...Array.from({ length: 1699 }, () => outcome('Killed')),
      ...Array.from({ length: 300 }, () => outcome('Survived', 1)),
    ];
    expect(scoreModule(MODULE, nearly, ROOT).percent).toBe(84.9);
  });
});

describe('npm run mutation', () => {
  function io(
    root: string,
    outcomes: MutantOutcome[],
  ): MutationIo & { lines: string[]; errors: string[]; runs: string[] } {
    const lines: string[] = [];
    const errors: string[] = [];
    const runs: string[] = [];
    let now = Date.parse('2026-12-07T12:00:00Z');
    return {
      lines,
      errors,
      runs,
      out: (l) => void lines.push(l),
      err: (l) => void errors.push(l),
      root,
      now: () => (now += 30_000),
      run: async (module, _root, { force }) => {
        runs.push(force ? `${module.name} (force)` : module.name);
        return outcomes.map((o) => ({ ...o, fileName: join(root, module.mutate[0]) }));
      },
    };
  }

  it('prints each module beside its target, lists survivors, and writes docs/mutation.md and .json', async () => {
    const root = testTempDir('mutation-command');
    mkdirSync(join(root, 'docs'));
    const run = io(root, [...Array.from({ length: 8 }, () => outcome('Killed')), outcome('Survived', 5)]);
    expect(await main(['--module', 'diff-summary', '--force'], run)).toBe(0);
    expect(run.runs).toEqual(['diff-summary (force)']);
    expect(run.lines).toEqual([
      'diff-summary          88.8 % (target 85 %, meets): 8 of 9 detected, 0 equivalent, 30 s full',
      '  survivor scripts/ci/diff-summary.ts:5 ConditionalExpression → true',
      'wrote docs/mutation.md',
    ]);
    const report = readFileSync(join(root, 'docs/mutation.md'), 'utf8');
    expect(report).toContain(
      '| diff-summary | 88.8 % (meets) | 85 % | 8 / 9 (0 equivalent) | 30 s full, 2026-12-07 | |',
    );
    expect(report).toContain('- survivor `scripts/ci/diff-summary.ts:5` ConditionalExpression');
    expect(report).toContain('| rotation | not run yet | 85 % |');
    expect(JSON.parse(readFileSync(join(root, 'docs/mutation.json'), 'utf8'))['diff-summary'].percent).toBe(88.8);
  });

  it('says whether a run reused earlier results: incremental when a results file exists, full without one or with --force', async () => {
    const root = testTempDir('mutation-command-incremental');
    mkdirSync(join(root, 'docs'));
    const run = io(root, [outcome('Killed')]);
    await main(['--module', 'diff-summary'], run);
    mkdirSync(join(root, INCREMENTAL_DIR), { recursive: true });
    writeFileSync(join(root, INCREMENTAL_DIR, 'diff-summary.json'), '{}');
    await main(['--module', 'diff-summary'], run);
    await main(['--module', 'diff-summary', '--force'], run);
    expect(run.lines.filter((l) => l.startsWith('diff-summary')).map((l) => l.split(', ').at(-1))).toEqual([
      '30 s full',
      '30 s incremental',
      '30 s full',
    ]);
    expect(readFileSync(join(root, 'docs/mutation.md'), 'utf8')).toContain('| 30 s full, 2026-12-07 |');
  });

  it("keeps a finished module's results when a later module's run fails", async () => {
    const root = testTempDir('mutation-command-failure');
    mkdirSync(join(root, 'docs'));
    const run = io(root, [outcome('Killed')]);
    const failing: MutationIo = {
      ...run,
      run: async (module, moduleRoot, options) => {
        if (module.name === 'alarm-catalogue') throw new Error('There were failed tests in the initial test run.');
        return run.run(module, moduleRoot, options);
      },
    };
    expect(await main(['--module', 'diff-summary', '--module', 'alarm-catalogue'], failing)).toBe(1);
    const stored = JSON.parse(readFileSync(join(root, 'docs/mutation.json'), 'utf8'));
    expect(Object.keys(stored)).toEqual(['diff-summary']);
    expect(readFileSync(join(root, 'docs/mutation.md'), 'utf8')).toContain('| diff-summary | 100.0 % (meets)');
  });

  it('runs every module by default, in the listed order, and exits 1 when one is below target', async () => {
    const root = testTempDir('mutation-command-all');
    mkdirSync(join(root, 'docs'));
    const run = io(root, [outcome('Killed'), outcome('Survived')]);
    expect(await main([], run)).toBe(1);
    expect(run.runs).toEqual(MUTATION_MODULES.map((m) => m.name));
    expect(readFileSync(join(root, 'docs/mutation.md'), 'utf8')).toMatch(
      /\| restore-checks \| 50\.0 % \(\*\*below\*\*\)/,
    );
    expect(run.lines[0]).toMatch(/^rotation +50\.0 % \(target 85 %, BELOW\)/);
  });

  it('answers --help with usage (exit 0), and a bad flag or an unknown module with usage on stderr (exit 2)', async () => {
    const run = io('/nowhere', []);
    expect(await main(['--help'], run)).toBe(0);
    expect(run.lines[0]).toMatch(/^usage: npm run mutation/);
    expect(await main(['--fast'], run)).toBe(2);
    expect(await main(['--module', 'rotaton'], run)).toBe(2);
    // The harness prints the error, then the usage, on stderr: for the bad flag, then for the unknown module.
    expect(run.errors[2]).toBe('mutation: unknown module rotaton. Fix: use one of the names below.');
    expect(run.errors[3]).toMatch(/^usage: npm run mutation/);
    expect(run.runs).toEqual([]);
  });
});

describe('the all-modules time', () => {
  const stored = (seconds: number, incremental?: boolean): StoredRun => ({
    module: 'x',
    mutants: 1,
    detected: 1,
    survivors: [],
    equivalent: [],
    staleEquivalents: [],
    percent: 100,
    seconds,
    incremental,
    date: '2026-12-07',
  });
  const modules = ['a', 'b', 'c'].map((name) => ({ ...MODULE, name }));

  it('is the sum of the last runs when each reused earlier results', () => {
    const runs = { a: stored(40, true), b: stored(60, true), c: stored(2000, true) };
    expect(allModulesTime(modules, runs)).toBe('2100 s incremental');
  });

  it('names the modules whose last run was full or never happened: that sum is not the incremental figure', () => {
    const runs = { a: stored(40, true), b: stored(600) };
    expect(allModulesTime(modules, runs)).toBe(
      '640 s, not an incremental run (last run full or of unknown mode: b; not run: c)',
    );
  });
});

it("type-checks each module's mutants against its own files (and their imports), and runs only its own test files", () => {
  const module = MUTATION_MODULES.find((m) => m.name === 'release-pointer')!;
  expect(checkerTsconfig(module)).toEqual({ extends: './tsconfig.json', include: [], files: module.mutate });
  const root = join(__dirname, '..', '..');
  expect(strykerOptions(module, root)).toMatchObject({
    mutate: module.mutate,
    tsconfigFile: CHECKER_TSCONFIG,
    jest: {
      config: { projects: [{ testMatch: ['<rootDir>/test/site/release-pointer.test.ts'] }] },
      enableFindRelatedTests: false,
    },
    concurrency: 1,
    incremental: true,
    force: false,
    incrementalFile: join(root, 'node_modules/.cache/miko-mutation/release-pointer.json'),
  });
});
