/**
 * CI access for one account, without long-lived keys: GitHub's OIDC provider and two roles that only this
 * repository's workflows can assume.
 *
 *   pull_request jobs                    ──> miko-<env>-ci-diff   ──> cdk lookup role (read-only)
 *   jobs in GitHub environment <env>     ──> miko-<env>-ci-deploy ──> cdk deploy / file- / image-publishing roles
 *                                                                   + read alarms, move the release pointer,
 *                                                                     rotate this environment's secrets now
 *
 * Deployed once per account by a person (`npx cdk deploy Staging-CiAccess`), outside the stages, so a pipeline
 * run can never widen its own access: `cdk deploy 'Staging/*'` does not include it.
 */
import { Duration, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import { STAGE_IDS } from '../stage';
import { BootstrapRoleKind, bootstrapRoleArn } from './bootstrap-roles';
import { ciRoleName } from './ci-roles';

/** GitHub Actions' token issuer; the provider's URL must be exactly this. */
export const GITHUB_OIDC_ISSUER = 'token.actions.githubusercontent.com';
/** The audience aws-actions/configure-aws-credentials asks GitHub for. */
export const STS_AUDIENCE = 'sts.amazonaws.com';
/** An hour covers a deploy of every stack plus verification; anything longer only widens a leaked session. */
const CI_SESSION_HOURS = 1;

export interface CiAccessStackProps extends StackProps {
  readonly config: EnvironmentConfig;
}

export class CiAccessStack extends Stack {
  /** Assumed by pull-request jobs: may only assume the CDK lookup role (read-only). */
  readonly diffRole: iam.Role;
  /** Assumed by jobs running in the environment's GitHub environment (production: after required reviewers). */
  readonly deployRole: iam.Role;

  constructor(scope: Construct, id: string, props: CiAccessStackProps) {
    super(scope, id, props);
    const { config } = props;
    const provider = this.githubOidcProvider(config);
    const repository = config.delivery.githubRepository;

    this.diffRole = this.githubRole('DiffRole', provider, config, 'diff', `repo:${repository}:pull_request`,
      'cdk diff on pull requests: read-only, may only assume the CDK lookup role');
    this.grantAssumeBootstrapRoles('DiffRolePolicy', this.diffRole, ['lookup'], 'Pull-request CI role: may only assume the CDK lookup role (read-only)');

    this.deployRole = this.githubRole('DeployRole', provider, config, 'deploy', `repo:${repository}:environment:${config.delivery.githubEnvironment}`,
      `deploy, verify, rollback and rotate-now jobs of the GitHub environment "${config.delivery.githubEnvironment}"`);
    const deployPolicy = this.grantAssumeBootstrapRoles('DeployRolePolicy', this.deployRole, ['deploy', 'file-publishing', 'image-publishing'],
      'Deploy CI role: may assume the CDK deploy and publishing roles, read alarms, roll the site back and start rotations');
    this.grantReleaseOperations(deployPolicy, config);
  }

  private githubOidcProvider(config: EnvironmentConfig): iam.IOidcProvider {
    const provider = config.delivery.oidcProvider;
    if (provider.mode === 'import') return iam.OidcProviderNative.fromOidcProviderArn(this, 'GitHubOidcProvider', provider.arn);
    // No thumbprint: IAM trusts GitHub's issuer through its own library of root CAs.
    return new iam.OidcProviderNative(this, 'GitHubOidcProvider', { url: `https://${GITHUB_OIDC_ISSUER}`, clientIds: [STS_AUDIENCE] });
  }

  /** A role only tokens for this repository with exactly this subject (and our audience) can assume. */
  private githubRole(id: string, provider: iam.IOidcProvider, config: EnvironmentConfig, kind: 'diff' | 'deploy', subject: string, purpose: string): iam.Role {
    return new iam.Role(this, id, {
      roleName: ciRoleName(config.envName, kind),
      description: `MiKO ${config.envName} CI (${config.delivery.githubRepository}): ${purpose}`,
      maxSessionDuration: Duration.hours(CI_SESSION_HOURS),
      // StringEquals, never StringLike: a wildcard in the subject would admit forks' branches or other repositories.
      assumedBy: new iam.WebIdentityPrincipal(provider.oidcProviderArn, {
        StringEquals: { [`${GITHUB_OIDC_ISSUER}:aud`]: STS_AUDIENCE, [`${GITHUB_OIDC_ISSUER}:sub`]: subject },
      }),
    });
  }

  private grantAssumeBootstrapRoles(id: string, role: iam.Role, kinds: BootstrapRoleKind[], description: string): iam.ManagedPolicy {
    // A managed policy, not an inline one: HIPAA and NIST want policies reviewable and attachable on their own.
    return new iam.ManagedPolicy(this, id, {
      description,
      roles: [role],
      statements: [new iam.PolicyStatement({
        sid: 'AssumeCdkBootstrapRoles',
        actions: ['sts:AssumeRole'],
        resources: kinds.map((kind) => bootstrapRoleArn(kind, this.account, this.region)),
      })],
    });
  }

  /**
   * What the deploy jobs do besides `cdk deploy`: verify (alarms), roll back (release pointer), rotate now. They act
   * on resources the stages create after this stack, so each is matched by type within this account (secrets by
   * this environment's prefix); none of these actions can change infrastructure, which only the CDK deploy role can.
   */
  private grantReleaseOperations(policy: iam.ManagedPolicy, config: EnvironmentConfig): void {
    // Literal partition: the app only deploys to us-east-1 (commercial AWS), and acknowledgment ids must be plain strings.
    // The release bucket's fixed name (lib/site/storage.ts siteBucketName): known before the Site stack exists.
    const releaseBucket = `miko-${config.envName}-site-${this.account}`;
    const arn = (service: string, region: string, resource: string) => `arn:aws:${service}:${region}:${this.account}:${resource}`;
    const grant = (sid: string, actions: string[], resource: string, why: string) => {
      policy.addStatements(new iam.PolicyStatement({ sid, actions, resources: [resource] }));
      Validations.of(policy).acknowledge({ id: `AwsSolutions::AwsSolutions-IAM5[Resource::${resource}]`, reason: why });
    };
    grant('ReadAlarmsForVerify', ['cloudwatch:DescribeAlarms'], arn('cloudwatch', this.region, 'alarm:*'),
      "verify lists the environment's alarms by name prefix; DescribeAlarms only reads alarm state.");
    // Rollback (scripts/rollback.ts, Site issue) reads the Site stack's outputs, checks the release is still in the
    // bucket, then moves the live-release pointer: a CloudFront KeyValueStore key the viewer-request function reads.
    grant('FindSiteOutputsForRollback', ['cloudformation:DescribeStacks'], arn('cloudformation', this.region, `stack/${STAGE_IDS[config.envName]}-*/*`),
      "rollback reads the site stack's outputs (bucket, pointer); limited to this environment's stacks, read-only.");
    policy.addStatements(new iam.PolicyStatement({
      sid: 'ListKeptReleasesForRollback',
      actions: ['s3:ListBucket'],
      resources: [`arn:aws:s3:::${releaseBucket}`],
    }));
    grant('CheckReleaseExistsForRollback', ['s3:GetObject'], `arn:aws:s3:::${releaseBucket}/releases/*`,
      "rollback checks the chosen release's index.html exists before moving the pointer; read-only, release prefix of this environment's bucket.");
    grant('MoveReleasePointerForRollback',
      ['cloudfront-keyvaluestore:DescribeKeyValueStore', 'cloudfront-keyvaluestore:GetKey', 'cloudfront-keyvaluestore:PutKey'],
      arn('cloudfront', '', 'key-value-store/*'),
      "rollback moves the live-release pointer; the key-value store is created by the Site stack after this one, and each environment is its own account.");
    grant('RotateSecretsNow', ['secretsmanager:DescribeSecret', 'secretsmanager:RotateSecret'], arn('secretsmanager', this.region, `secret:miko/${config.envName}/*`),
      "the rotate-now workflow starts rotation of this environment's secrets (miko/<env>/, random suffix unknown in advance); it never reads a value.");
  }

}
