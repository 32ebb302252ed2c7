/**
 * No stale state: a failed synth leaves no assembly that looks valid, and the commands that read cdk.out refuse one
 * older than its inputs. (That a synth leaves nothing in the temp dir is offline-diff.test.ts's: its command runs two.)
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ENVIRONMENTS_CONTEXT_KEY } from '../../lib/stage-ids';
import { readFreshAssembly, StaleAssemblyError } from '../../scripts/lib/read-assembly';
import { verify } from '../../scripts/verify';
import { runScript } from '../support/run-script';
import { testTempDir } from '../support/temp-dir';

const run = promisify(execFile);
const REPO = join(__dirname, '..', '..');
const CDK = join(REPO, 'node_modules', '.bin', 'cdk');

const freshDir = testTempDir;

async function cdkSynth(outdir: string, tmp: string, environments: string) {
  return run(
    CDK,
    ['synth', '--quiet', '**', '--context', `${ENVIRONMENTS_CONTEXT_KEY}=${environments}`, '--output', outdir],
    { cwd: REPO, env: { ...process.env, TMPDIR: tmp }, timeout: 120_000 },
  ).then(
    ({ stderr }) => ({ code: 0, stderr }),
    (error) => ({ code: error.code as number, stderr: String(error.stderr) }),
  );
}

describe('a synth through the CLI', () => {
  it('that fails removes the previous manifest, so no command reads the old cdk.out as current', async () => {
    const outdir = freshDir('miko-failed-synth-');
    writeFileSync(join(outdir, 'manifest.json'), '{"version":"50.0.0","artifacts":{}}');
    const outcome = await cdkSynth(outdir, freshDir('miko-failed-tmp-'), 'nowhere');
    expect(outcome.code).not.toBe(0);
    expect(outcome.stderr).toMatch(/--env nowhere is not an environment\. Fix: use staging or production/);
    expect(existsSync(join(outdir, 'manifest.json'))).toBe(false);
    expect(() => readFreshAssembly(outdir)).toThrow(/no manifest\.json.*Fix: run `npm run synth`/);
  });
});

describe('an assembly older than its inputs', () => {
  /** A repository of one config file and an assembly whose manifest is older or newer than it. */
  function repoWithAssembly(configNewer: boolean): { repo: string; assembly: string } {
    const repo = freshDir('miko-stale-repo-');
    mkdirSync(join(repo, 'lib', 'config'), { recursive: true });
    writeFileSync(join(repo, 'lib', 'config', 'staging.ts'), 'export {}');
    const assembly = join(repo, 'cdk.out');
    mkdirSync(assembly);
    writeFileSync(join(assembly, 'manifest.json'), '{"version":"50.0.0","artifacts":{}}');
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(join(repo, configNewer ? 'cdk.out/manifest.json' : 'lib/config/staging.ts'), hourAgo, hourAgo);
    return { repo, assembly };
  }

  it('is refused, naming the newer file and the fix', () => {
    const { repo, assembly } = repoWithAssembly(true);
    expect(() => readFreshAssembly(assembly, repo)).toThrow(StaleAssemblyError);
    expect(() => readFreshAssembly(assembly, repo)).toThrow(
      /older than lib\/config\/staging\.ts.*Fix: run `npm run synth`/,
    );
  });

  it('is read when synthesized after the last change', () => {
    const { repo, assembly } = repoWithAssembly(false);
    expect(readFreshAssembly(assembly, repo).manifest.artifacts).toEqual({});
  });

  it('makes verify and preview refuse to start', async () => {
    const assembly = freshDir('miko-stale-out-');
    writeFileSync(join(assembly, 'manifest.json'), '{"version":"50.0.0","artifacts":{}}');
    const longAgo = new Date('2020-01-01T00:00:00Z');
    utimesSync(join(assembly, 'manifest.json'), longAgo, longAgo);
    await expect(
      verify(
        {
          env: 'staging',
          url: 'http://127.0.0.1:9',
          alarms: { kind: 'skip' },
          assemblyDir: assembly,
          region: 'us-east-1',
        },
        () => undefined,
      ),
    ).rejects.toThrow(/older than .*Fix: run `npm run synth`/);
    const preview = await runScript('scripts/preview.ts', ['--env', 'staging', '--port', '0', '--assembly', assembly], {
      timeoutMs: 30_000,
    });
    expect(preview.code).toBe(1);
    expect(preview.stderr).toMatch(/preview: .* is older than .*Fix: run `npm run synth`/);
  });
});
