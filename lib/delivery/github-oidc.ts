/**
 * Which GitHub Actions jobs may become which CI role, written as the token subjects the roles trust.
 *
 * GitHub's default subject (`repo:<repo>:environment:<env>`) says nothing about WHICH workflow, at WHICH ref, asked:
 * a workflow dispatched from a feature branch, with edited steps, that names `environment: production` gets the
 * same subject as main's deploy. So the repository's subject is customised (`npm run ci-setup`,
 * scripts/github-oidc-subject.ts) to also carry `job_workflow_ref`, the workflow file and the ref it ran from:
 *
 *   repo:<owner>/<name>:<context>:job_workflow_ref:<owner>/<name>/.github/workflows/<file>@<ref>
 *
 * where <context> is `environment:<env>` for a job in a GitHub environment, `pull_request` for a pull-request job,
 * and `ref:<ref>` otherwise. A reusable workflow's jobs carry the CALLED file (deploy-environment.yml) at the
 * caller's ref.
 */
import type { EnvironmentConfig } from '../config';

/** The claims, in order, the repository's customised subject is made of. */
export const OIDC_SUBJECT_CLAIM_KEYS = ['repo', 'context', 'job_workflow_ref'] as const;

export const MAIN_REF = 'refs/heads/main';

/** The workflow files whose jobs assume a role, by what they do. */
export const CI_WORKFLOWS = {
  pullRequest: 'pull-request.yml',
  deploy: 'deploy-environment.yml',
  rollback: 'rollback.yml',
  rotate: 'rotate-secrets.yml',
} as const;

export function githubSubject(repository: string, context: string, workflowFile: string, ref: string): string {
  return `repo:${repository}:${context}:job_workflow_ref:${repository}/.github/workflows/${workflowFile}@${ref}`;
}

/**
 * Who may assume the pull-request (diff) role: a pull-request job of pull-request.yml, of any pull request of this
 * repository (`refs/pull/<n>/merge`). `*` is the only wildcard in any trust policy, and it stands for the number;
 * a job that declares an environment has context `environment:…` and never matches.
 */
export function diffRoleSubjects(config: EnvironmentConfig): string[] {
  return [
    githubSubject(config.delivery.githubRepository, 'pull_request', CI_WORKFLOWS.pullRequest, 'refs/pull/*/merge'),
  ];
}

/**
 * Who may assume the deploy role: only main's own workflows. Deploys and rotations run in the environment's GitHub
 * environment (production: after its reviewers). Rollback runs without one, so no reviewer queue can hold it: it
 * can only point the site at a release the bucket still keeps, and only main's rollback.yml can ask.
 */
export function deployRoleSubjects(config: EnvironmentConfig): string[] {
  const repository = config.delivery.githubRepository;
  const environment = `environment:${config.delivery.githubEnvironment}`;
  return [
    githubSubject(repository, environment, CI_WORKFLOWS.deploy, MAIN_REF),
    githubSubject(repository, environment, CI_WORKFLOWS.rotate, MAIN_REF),
    githubSubject(repository, `ref:${MAIN_REF}`, CI_WORKFLOWS.rollback, MAIN_REF),
  ];
}
