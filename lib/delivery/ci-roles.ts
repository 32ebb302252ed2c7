/**
 * Names of the roles GitHub Actions assumes, shared by the CiAccess stack (which creates them) and
 * `scripts/ci/ci-env.ts` (which tells the workflows their ARNs), so neither the workflows nor the docs repeat them.
 */
import type { EnvironmentName } from '../config';

export type CiRoleKind =
  | 'diff' // pull requests: read-only, enough for `cdk diff`
  | 'deploy' // the environment's deploy (with its verify and automatic rollback) and rotate-now jobs
  | 'rollback'; // the manual rollback workflow: moves the release pointer, reads what verify reads

export function ciRoleName(envName: EnvironmentName, kind: CiRoleKind): string {
  return `miko-${envName}-ci-${kind}`;
}

export function ciRoleArn(envName: EnvironmentName, account: string, kind: CiRoleKind): string {
  return `arn:aws:iam::${account}:role/${ciRoleName(envName, kind)}`;
}

/** The account-level stack that holds them: deployed once by hand, never by the pipeline it enables. */
export const CI_ACCESS_STACK_SUFFIX = 'CiAccess';
