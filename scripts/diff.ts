/**
 * `cdk diff` of an environment's stacks before anyone has AWS credentials: synthesizes the base ref in a git
 * worktree (diff/base-worktree.ts) and the working tree, and passes the base's template as the deployed one
 * (`--template`). Every temporary folder and the worktree are removed afterwards, also on failure.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { join, relative } from 'node:path';
import { CloudAssembly, CloudFormationStackArtifact } from 'aws-cdk-lib/cx-api';
import { EnvironmentName } from '../lib/config/schema';
import { scratchDir } from '../lib/shared/scratch-dir';
import { ENVIRONMENTS_CONTEXT_KEY, STAGE_IDS } from '../lib/stage-ids';
import { checkOutBase } from './diff/base-worktree';
import { environmentFlag, Io, runCommand, runIfMain, UsageError } from './lib/command';

const REPO_ROOT = join(__dirname, '..');
const USAGE = `usage: npm run diff -- --env <staging|production> [--base <git ref, default main>]
  cdk diff of the environment's stacks: the working tree against the base ref, offline (no AWS call).
Exit codes: 0 diff printed; 1 a synth or the diff failed; 2 usage (or not a git checkout).`;

interface Outcome {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command without blocking: the two synths (and the per-stack diffs) run side by side. */
function shAsync(command: string, args: readonly string[], cwd: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('close', (status) => resolve({ status: status ?? 1, stdout, stderr }));
  });
}

/** Synthesizes the app checked out in `root` into `outdir` (one environment when the app knows the selector). */
async function synth(root: string, outdir: string, env: EnvironmentName, what: string): Promise<CloudAssembly> {
  const result = await shAsync(
    join(root, 'node_modules', '.bin', 'cdk'),
    ['synth', '--quiet', '**', '--context', `${ENVIRONMENTS_CONTEXT_KEY}=${env}`, '--output', outdir],
    root,
  );
  if (result.status !== 0) throw new Error(`synthesizing ${what} failed:\n${result.stderr.trim()}`);
  return new CloudAssembly(outdir);
}

/** One environment's stacks by their CLI selector: `Staging/Data` inside the stage, `Staging-CiAccess` beside it. */
function stacksOf(assembly: CloudAssembly, env: EnvironmentName): Map<string, CloudFormationStackArtifact> {
  const stage = STAGE_IDS[env];
  const all = [...assembly.stacks, ...assembly.nestedAssemblies.flatMap((n) => n.nestedAssembly.stacks)];
  return new Map(all.filter((s) => s.stackName.startsWith(`${stage}-`)).map((s) => [s.hierarchicalId, s]));
}

/** What `cdk diff` prints for a stack whose template did not change. */
const NO_DIFFERENCES = 'There were no differences';

function sameTemplate(a: CloudFormationStackArtifact, b: CloudFormationStackArtifact): boolean {
  return isDeepStrictEqual(
    JSON.parse(readFileSync(a.templateFullPath, 'utf8')),
    JSON.parse(readFileSync(b.templateFullPath, 'utf8')),
  );
}

export async function offlineDiff(
  env: EnvironmentName,
  base: string,
  print: (text: string) => void = (t) => process.stdout.write(t),
): Promise<void> {
  const worktree = checkOutBase(REPO_ROOT, base);
  try {
    const headOut = scratchDir('miko-diff-head-out-');
    const [baseAssembly, headAssembly] = await Promise.all([
      synth(worktree.dir, scratchDir('miko-diff-base-out-'), env, `the base "${base}"`),
      synth(REPO_ROOT, headOut, env, 'the working tree'),
    ]);
    const before = stacksOf(baseAssembly, env);
    const after = stacksOf(headAssembly, env);
    const empty = join(scratchDir('miko-diff-empty-'), 'empty.template.json');
    writeFileSync(empty, '{}');
    print(
      `# cdk diff of ${env}: working tree against ${base} (offline: the base's templates stand in for the deployed ones)\n`,
    );
    const selectors = [...after.keys()];
    const diffs = await Promise.all(
      selectors.map((selector) => {
        const old = before.get(selector);
        // A template the change leaves as it was needs no CLI run (a second each): the CLI would say just this.
        if (old && sameTemplate(old, after.get(selector)!)) return { status: 0, stdout: '', stderr: NO_DIFFERENCES };
        return shAsync(
          join(REPO_ROOT, 'node_modules', '.bin', 'cdk'),
          [
            'diff',
            '--app',
            relative(REPO_ROOT, headOut),
            '--template',
            old?.templateFullPath ?? empty,
            '--exclusively',
            selector,
          ],
          REPO_ROOT,
        );
      }),
    );
    selectors.forEach((selector, i) => {
      if (diffs[i].status !== 0) throw new Error(`cdk diff ${selector} failed:\n${diffs[i].stderr.trim()}`);
      // The CLI writes its diff to stderr.
      print(
        `\n## ${selector}${before.has(selector) ? '' : ' (new stack)'}\n${(diffs[i].stdout + diffs[i].stderr).trim()}\n`,
      );
    });
    for (const selector of before.keys())
      if (!after.has(selector))
        print(`\n## ${selector} (removed: deploying would not delete it; destroy it by hand if that is meant)\n`);
  } finally {
    worktree.remove();
  }
}

export function main(argv: string[], io: Io): Promise<number> {
  const spec = {
    name: 'diff',
    usage: USAGE,
    options: { env: { type: 'string' as const }, base: { type: 'string' as const } },
  };
  return runCommand(spec, argv, io, async (values) => {
    const env = environmentFlag(values.env);
    if (!existsSync(join(REPO_ROOT, '.git')))
      throw new UsageError('this is not a git checkout, so there is no base to compare with.');
    await offlineDiff(env, (values.base as string | undefined) ?? 'main');
    return 0;
  });
}

runIfMain(module, main);
