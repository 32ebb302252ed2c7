/**
 * The roles `cdk bootstrap` creates in each account. CI never gets permissions of its own to change the platform:
 * it may only assume these, so what a deploy can do is exactly what the bootstrap's CloudFormation execution
 * policy allows, reviewed in one place.
 */

/** `cdk bootstrap`'s default qualifier; the app does not override it (cdk.json has no `@aws-cdk/core:bootstrapQualifier`). */
export const CDK_BOOTSTRAP_QUALIFIER = 'hnb659fds';

/** What each bootstrap role is for (its name is `cdk-<qualifier>-<kind>-role-<account>-<region>`). */
export type BootstrapRoleKind =
  | 'lookup' // read-only (ReadOnlyAccess on the account): no CI role may assume it; the PR diff reads templates itself
  | 'deploy' // creates and executes CloudFormation change sets
  | 'file-publishing' // uploads file assets (Lambda bundles, the site's files) to the bootstrap bucket
  | 'image-publishing'; // pushes container assets to the bootstrap repository

export function bootstrapRoleArn(kind: BootstrapRoleKind, account: string, region: string): string {
  return `arn:aws:iam::${account}:role/cdk-${CDK_BOOTSTRAP_QUALIFIER}-${kind}-role-${account}-${region}`;
}

/** The SSM parameter `cdk bootstrap` writes its version to; every template's BootstrapVersion rule reads it. */
export function bootstrapVersionParameter(qualifier: string = CDK_BOOTSTRAP_QUALIFIER): string {
  return `/cdk-bootstrap/${qualifier}/version`;
}
