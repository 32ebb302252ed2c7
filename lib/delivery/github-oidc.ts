/**
 * Which GitHub Actions jobs may become which CI role, as the token subjects the roles trust. GitHub's default
 * subject (`repo:<repo>:environment:<env>`) does not say which workflow at which ref asked, so `npm run ci-setup`
 * customises it to also carry the caller's `ref` and `job_workflow_ref`:
 *   repo:<owner>/<name>:<context>:ref:<caller ref>:job_workflow_ref:<owner>/<name>/.github/workflows/<file>@<ref>
 * <context>: `environment:<env>`, `pull_request`, or `ref:<ref>`. A reusable workflow's jobs carry the CALLED file,
 * so only the caller's `ref` shows that a branch called main's deploy-environment.yml with its own build.
 */
import type { EnvironmentConfig } from '../config';

/** The claims, in order, the repository's customised subject is made of. */
export const OIDC_SUBJECT_CLAIM_KEYS = ['repo', 'context', 'ref', 'job_workflow_ref'] as const;

export const MAIN_REF = 'refs/heads/main';

/** The workflow files whose jobs assume a role, by what they do. */
export const CI_WORKFLOWS = {
  pullRequest: 'pull-request.yml',
  deploy: 'deploy-environment.yml',
  rollback: 'rollback.yml',
  rotate: 'rotate-secrets.yml',
} as const;

/** The token subject of `workflowFile` run at `ref`, called from that same ref. */
export function githubSubject(repository: string, context: string, workflowFile: string, ref: string): string {
  return `repo:${repository}:${context}:ref:${ref}:job_workflow_ref:${repository}/.github/workflows/${workflowFile}@${ref}`;
}

/**
 * Who may assume the diff role: a pull-request job of pull-request.yml, of any pull request (`refs/pull/<n>/merge`,
 * <n> the only wildcard in any trust policy). A job that declares an environment has another context: no match.
 */
export function diffRoleSubjects(config: EnvironmentConfig): string[] {
  return [
    githubSubject(config.delivery.githubRepository, 'pull_request', CI_WORKFLOWS.pullRequest, 'refs/pull/*/merge'),
  ];
}

/**
 * Who may assume the deploy role: only main's own deploy and rotate workflows, in the environment's GitHub
 * environment (production: after its reviewers).
 */
export function deployRoleSubjects(config: EnvironmentConfig): string[] {
  const repository = config.delivery.githubRepository;
  const environment = `environment:${config.delivery.githubEnvironment}`;
  return [
    githubSubject(repository, environment, CI_WORKFLOWS.deploy, MAIN_REF),
    githubSubject(repository, environment, CI_WORKFLOWS.rotate, MAIN_REF),
  ];
}

/**
 * Who may assume the rollback role: main's rollback.yml, without a GitHub environment so no reviewer queue can hold
 * it. The role can only point the site at a release the bucket still keeps and read what verify reads.
 */
export function rollbackRoleSubjects(config: EnvironmentConfig): string[] {
  return [githubSubject(config.delivery.githubRepository, `ref:${MAIN_REF}`, CI_WORKFLOWS.rollback, MAIN_REF)];
}
