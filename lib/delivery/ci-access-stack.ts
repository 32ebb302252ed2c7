/**
 * CI access for one account without long-lived keys: GitHub's OIDC provider, roles only this repository's workflows
 * can assume (subjects: github-oidc.ts), and the bootstrap's CloudFormation execution policy (execution-policy.ts).
 * Roles: ci-diff (pull requests: read templates), ci-deploy (main's deploy and rotate-secrets), ci-rollback (main's
 * rollback.yml: alarms, release pointer), audit-append (attached by hand to a person's role: append-only audit).
 * Deployed once per account by a person (`npx cdk deploy Staging-CiAccess`) with their own credentials, never the
 * bootstrap role, so a pipeline run cannot widen its own access.
 */
import { CliCredentialsStackSynthesizer, Duration, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import { STAGE_IDS } from '../stage-ids';
import { BootstrapRoleKind, bootstrapRoleArn, bootstrapVersionParameter } from './bootstrap-roles';
import { CiRoleKind, ciRoleName } from './ci-roles';
import { backupImageRepositoryName } from '../backups/image-repository';
import { CANARY_CHECK_NAMESPACE } from '../monitoring/canary-check-metric';
import { executionPolicyName, executionPolicyStatements } from './execution-policy';
import { deployRoleSubjects, diffRoleSubjects, rollbackRoleSubjects } from './github-oidc';

/** GitHub Actions' token issuer; the provider's URL must be exactly this. */
export const GITHUB_OIDC_ISSUER = 'token.actions.githubusercontent.com';
/** The audience aws-actions/configure-aws-credentials asks GitHub for. */
export const STS_AUDIENCE = 'sts.amazonaws.com';
/** An hour covers a deploy of every stack plus verification; anything longer only widens a leaked session. */
const CI_SESSION_HOURS = 1;

/** The customer-managed policy a person's role attaches to record their changes (docs/readme/releasing.md). */
export const auditAppendPolicyName = (envName: string) => `miko-${envName}-audit-append`;

export interface CiAccessStackProps extends StackProps {
  readonly config: EnvironmentConfig;
}

export class CiAccessStack extends Stack {
  /** Assumed by pull-request jobs: may only read this environment's deployed templates and the bootstrap version. */
  readonly diffRole: iam.Role;
  /** Assumed by main's deploy (after production's reviewers) and rotate workflows. */
  readonly deployRole: iam.Role;
  /** Assumed by main's rollback workflow: moves the release pointer and reads what verify reads, nothing else. */
  readonly rollbackRole: iam.Role;
  /** Passed to `cdk bootstrap --cloudformation-execution-policies`: what CloudFormation may do in a deploy. */
  readonly executionPolicy: iam.ManagedPolicy;
  /** For a person's own role (docs/readme/releasing.md): append their change to the audit trail, nothing else. */
  readonly auditAppendPolicy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: CiAccessStackProps) {
    // The person's own credentials, not the bootstrap roles: the execution policy below must not be able to
    // change the stack that defines it, and the CI roles must not be changeable by a CI run.
    super(scope, id, { ...props, synthesizer: new CliCredentialsStackSynthesizer() });
    const { config } = props;
    const provider = this.githubOidcProvider(config);

    this.diffRole = this.githubRole(
      'DiffRole',
      provider,
      config,
      'diff',
      diffRoleSubjects(config),
      "cdk diff on pull requests: reads this environment's deployed templates and the bootstrap version, nothing else",
    );
    this.grantReadDeployedTemplates(config);

    this.deployRole = this.githubRole(
      'DeployRole',
      provider,
      config,
      'deploy',
      deployRoleSubjects(config),
      `main's deploy and rotate workflows, in the GitHub environment "${config.delivery.githubEnvironment}"`,
    );
    const deployPolicy = this.grantAssumeBootstrapRoles(
      'DeployRolePolicy',
      this.deployRole,
      ['deploy', 'file-publishing', 'image-publishing'],
      'Deploy CI role: may assume the CDK deploy and publishing roles, read alarms, roll the site back and start rotations',
    );
    this.grantVerifyAndRollback(deployPolicy, config);
    this.grantCanaryVerdict(this.deployRole);
    this.grantRotateNow(deployPolicy, config);
    this.grantPushBackupImage(deployPolicy, config);

    this.rollbackRole = this.githubRole(
      'RollbackRole',
      provider,
      config,
      'rollback',
      rollbackRoleSubjects(config),
      "main's rollback workflow: moves the release pointer and reads what verify reads",
    );
    this.grantVerifyAndRollback(
      new iam.ManagedPolicy(this, 'RollbackRolePolicy', {
        description:
          'Rollback CI role: reads alarms and the Site outputs, checks the release is kept, moves the pointer',
        roles: [this.rollbackRole],
      }),
      config,
    );

    this.executionPolicy = this.cloudFormationExecutionPolicy(config);
    this.auditAppendPolicy = this.personAuditAppendPolicy(config);
  }

  /**
   * What an operator needs for `restore -- --env`, `rotate` or `restore-release` to record the change: the Site
   * stack's outputs and the append. No delete or overwrite: Object Lock and If-None-Match refuse them, whoever asks.
   */
  private personAuditAppendPolicy(config: EnvironmentConfig): iam.ManagedPolicy {
    const policy = new iam.ManagedPolicy(this, 'AuditAppendPolicy', {
      managedPolicyName: auditAppendPolicyName(config.envName),
      description: `Attach to a person's role: record restore, rotate and restore-release in the ${config.envName} audit trail (append only)`,
    });
    this.grant(
      policy,
      'FindAuditBucketInSiteOutputs',
      ['cloudformation:DescribeStacks'],
      this.arn('cloudformation', this.region, `stack/${STAGE_IDS[config.envName]}-Site/*`),
      "the commands read the Site stack's outputs to find the audit bucket; its stack id changes when it is re-created; read-only.",
    );
    this.grantAuditAppend(policy, config);
    return policy;
  }

  private githubOidcProvider(config: EnvironmentConfig): iam.IOidcProvider {
    const provider = config.delivery.oidcProvider;
    if (provider.mode === 'import')
      return iam.OidcProviderNative.fromOidcProviderArn(this, 'GitHubOidcProvider', provider.arn);
    // No thumbprint: IAM trusts GitHub's issuer through its own library of root CAs.
    return new iam.OidcProviderNative(this, 'GitHubOidcProvider', {
      url: `https://${GITHUB_OIDC_ISSUER}`,
      clientIds: [STS_AUDIENCE],
    });
  }

  /** A role only tokens for our audience whose subject is one of these can assume. */
  private githubRole(
    id: string,
    provider: iam.IOidcProvider,
    config: EnvironmentConfig,
    kind: CiRoleKind,
    subjects: string[],
    purpose: string,
  ): iam.Role {
    // StringEquals where the subject is exact; StringLike only where it has a wildcard (the pull-request number).
    const wildcard = subjects.some((s) => /[*?]/.test(s));
    return new iam.Role(this, id, {
      roleName: ciRoleName(config.envName, kind),
      description: `MiKO ${config.envName} CI (${config.delivery.githubRepository}): ${purpose}`,
      maxSessionDuration: Duration.hours(CI_SESSION_HOURS),
      assumedBy: new iam.WebIdentityPrincipal(provider.oidcProviderArn, {
        StringEquals: {
          [`${GITHUB_OIDC_ISSUER}:aud`]: STS_AUDIENCE,
          ...(wildcard ? {} : { [`${GITHUB_OIDC_ISSUER}:sub`]: subjects }),
        },
        ...(wildcard ? { StringLike: { [`${GITHUB_OIDC_ISSUER}:sub`]: subjects } } : {}),
      }),
    });
  }

  /** Exactly what scripts/deployed-templates.ts calls, so the pull request's `cdk diff` can run offline. */
  private grantReadDeployedTemplates(config: EnvironmentConfig): void {
    const stacks = `arn:aws:cloudformation:${this.region}:${this.account}:stack/${STAGE_IDS[config.envName]}-*/*`;
    const policy = new iam.ManagedPolicy(this, 'DiffRolePolicy', {
      description:
        "Pull-request CI role: reads the deployed templates of this environment's stacks and the CDK bootstrap version",
      roles: [this.diffRole],
      statements: [
        new iam.PolicyStatement({
          sid: 'ReadDeployedTemplates',
          actions: ['cloudformation:DescribeStacks', 'cloudformation:GetTemplate'],
          resources: [stacks],
        }),
        new iam.PolicyStatement({
          sid: 'ReadBootstrapVersion',
          actions: ['ssm:GetParameter'],
          resources: [`arn:aws:ssm:${this.region}:${this.account}:parameter${bootstrapVersionParameter()}`],
        }),
      ],
    });
    Validations.of(policy).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::${stacks}]`,
      reason:
        "this environment's stacks by name prefix (their ids change on re-creation); DescribeStacks and GetTemplate only read.",
    });
  }

  private grantAssumeBootstrapRoles(
    id: string,
    role: iam.Role,
    kinds: BootstrapRoleKind[],
    description: string,
  ): iam.ManagedPolicy {
    // A managed policy, not an inline one: HIPAA and NIST want policies reviewable and attachable on their own.
    return new iam.ManagedPolicy(this, id, {
      description,
      roles: [role],
      statements: [
        new iam.PolicyStatement({
          sid: 'AssumeCdkBootstrapRoles',
          actions: ['sts:AssumeRole'],
          resources: kinds.map((kind) => bootstrapRoleArn(kind, this.account, this.region)),
        }),
      ],
    });
  }

  /** Adds one statement on one resource, with the reason its wildcard is needed acknowledged on the policy. */
  private grant(policy: iam.ManagedPolicy, sid: string, actions: string[], resource: string, why: string): void {
    policy.addStatements(new iam.PolicyStatement({ sid, actions, resources: [resource] }));
    Validations.of(policy).acknowledge({ id: `AwsSolutions::AwsSolutions-IAM5[Resource::${resource}]`, reason: why });
  }

  // Literal partition: the app only deploys to us-east-1 (commercial AWS), and acknowledgment ids must be plain strings.
  private arn(service: string, region: string, resource: string): string {
    return `arn:aws:${service}:${region}:${this.account}:${resource}`;
  }

  /**
   * Verify (alarms) and roll back (release pointer). Matched by type within the account, as the stages create them
   * after this stack; none of these actions can change infrastructure (only the CDK deploy role can).
   */
  private grantVerifyAndRollback(policy: iam.ManagedPolicy, config: EnvironmentConfig): void {
    // The release bucket's fixed name (lib/site/storage.ts siteBucketName): known before the Site stack exists.
    const releaseBucket = `miko-${config.envName}-site-${this.account}`;
    const arn = this.arn.bind(this);
    const grant = (sid: string, actions: string[], resource: string, why: string) =>
      this.grant(policy, sid, actions, resource, why);
    grant(
      'ReadAlarmsForVerify',
      ['cloudwatch:DescribeAlarms'],
      arn('cloudwatch', this.region, 'alarm:*'),
      "verify lists the environment's alarms by name prefix; DescribeAlarms only reads alarm state.",
    );
    // Rollback (scripts/rollback.ts, Site issue) reads the Site stack's outputs, checks the release is still in the
    // bucket, then moves the live-release pointer: a CloudFront KeyValueStore key the viewer-request function reads.
    grant(
      'FindSiteOutputsForRollback',
      ['cloudformation:DescribeStacks'],
      arn('cloudformation', this.region, `stack/${STAGE_IDS[config.envName]}-*/*`),
      "rollback reads the site stack's outputs (bucket, pointer); limited to this environment's stacks, read-only.",
    );
    policy.addStatements(
      new iam.PolicyStatement({
        sid: 'ListKeptReleasesForRollback',
        actions: ['s3:ListBucket'],
        resources: [`arn:aws:s3:::${releaseBucket}`],
      }),
    );
    grant(
      'CheckReleaseExistsForRollback',
      ['s3:GetObject'],
      `arn:aws:s3:::${releaseBucket}/releases/*`,
      "rollback checks the chosen release's index.html exists before moving the pointer; read-only, release prefix of this environment's bucket.",
    );
    grant(
      'MoveReleasePointerForRollback',
      [
        'cloudfront-keyvaluestore:DescribeKeyValueStore',
        'cloudfront-keyvaluestore:GetKey',
        'cloudfront-keyvaluestore:UpdateKeys',
      ],
      arn('cloudfront', '', 'key-value-store/*'),
      'rollback, release and flag change the release store (live pointer, canary weight, flags) in one conditional write; the key-value store is created by the Site stack after this one, and each environment is its own account.',
    );
    // The audit trail (lib/data/audit-trail.ts): rollback, release, flag and rotate-now append a record of each change.
    this.grantAuditAppend(policy, config);
  }

  /** List, read the newest and add an audit record; the platform key only through S3 (the bucket's SSE-KMS). */
  private grantAuditAppend(policy: iam.ManagedPolicy, config: EnvironmentConfig): void {
    const arn = this.arn.bind(this);
    const auditBucket = `miko-${config.envName}-audit-${this.account}`;
    policy.addStatements(
      new iam.PolicyStatement({
        sid: 'ListAuditTrail',
        actions: ['s3:ListBucket'],
        resources: [`arn:aws:s3:::${auditBucket}`],
        conditions: { StringLike: { 's3:prefix': [`audit/${config.envName}/*`] } },
      }),
    );
    this.grant(
      policy,
      'AppendToAuditTrail',
      ['s3:GetObject', 's3:PutObject'],
      `arn:aws:s3:::${auditBucket}/audit/${config.envName}/*`,
      'the commands read the newest record to chain to it and add one; Object Lock (compliance) and the bucket policy (If-None-Match) make a put unable to replace anything.',
    );
    policy.addStatements(
      new iam.PolicyStatement({
        sid: 'EncryptAuditRecordsThroughS3',
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [arn('kms', this.region, 'key/*')],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${this.region}.amazonaws.com` } },
      }),
    );
    Validations.of(policy).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::${arn('kms', this.region, 'key/*')}]`,
      reason:
        'The platform key is created by the Data stack after this one; use is limited to calls S3 makes (the audit bucket’s SSE-KMS).',
    });
  }

  /**
   * verify --canary publishes its browser's verdict on the canary, which the canary alarm reads and which aborts
   * the canary. A policy of its own, so its one wildcard carries its own reason; no other role may publish there.
   */
  private grantCanaryVerdict(role: iam.Role): void {
    const policy = new iam.ManagedPolicy(this, 'CanaryVerdictPolicy', {
      description: `Deploy CI role: verify --canary publishes its Chromium verdict on the canary to ${CANARY_CHECK_NAMESPACE}`,
      roles: [role],
      statements: [
        new iam.PolicyStatement({
          sid: 'PublishCanaryVerdict',
          actions: ['cloudwatch:PutMetricData'],
          resources: ['*'],
          conditions: { StringEquals: { 'cloudwatch:namespace': CANARY_CHECK_NAMESPACE } },
        }),
      ],
    });
    Validations.of(policy).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason: `cloudwatch:PutMetricData supports no resource-level permission; the namespace condition limits it to ${CANARY_CHECK_NAMESPACE}.`,
    });
  }

  /** The deploy pushes the backup task's image between the Data and Backups deploys (deploy-environment.yml). */
  private grantPushBackupImage(policy: iam.ManagedPolicy, config: EnvironmentConfig): void {
    this.grant(
      policy,
      'PushBackupImage',
      [
        'ecr:BatchCheckLayerAvailability',
        'ecr:InitiateLayerUpload',
        'ecr:UploadLayerPart',
        'ecr:CompleteLayerUpload',
        'ecr:PutImage',
        'ecr:DescribeImages',
        'ecr:BatchGetImage',
      ],
      this.arn('ecr', this.region, `repository/${backupImageRepositoryName(config.envName)}`),
      "pushes the backup job image into this environment's one image repository (created by the Data stack after this one); tags are immutable, so it cannot replace an image.",
    );
    this.grant(
      policy,
      'LogInToEcr',
      ['ecr:GetAuthorizationToken'],
      '*',
      'docker login to ECR: GetAuthorizationToken has no resource type; the push itself is limited to the backup image repository.',
    );
  }

  /** Rotate now: starts rotation of this environment's secrets; never reads a value. Its audit record uses grantVerifyAndRollback's. */
  private grantRotateNow(policy: iam.ManagedPolicy, config: EnvironmentConfig): void {
    this.grant(
      policy,
      'RotateSecretsNow',
      ['secretsmanager:DescribeSecret', 'secretsmanager:RotateSecret'],
      this.arn('secretsmanager', this.region, `secret:miko/${config.envName}/*`),
      "the rotate-now workflow starts rotation of this environment's secrets (miko/<env>/, random suffix unknown in advance); it never reads a value.",
    );
  }

  /** The bootstrap execution role's policy for this account (execution-policy.ts says what and why). */
  private cloudFormationExecutionPolicy(config: EnvironmentConfig): iam.ManagedPolicy {
    const statements = executionPolicyStatements(config.envName, this.account, this.region);
    const policy = new iam.ManagedPolicy(this, 'CloudFormationExecutionPolicy', {
      managedPolicyName: executionPolicyName(config.envName),
      description: `What CloudFormation may do when deploying MiKO ${config.envName}: the services its stacks use, IAM only on its own roles`,
      document: iam.PolicyDocument.fromJson({ Version: '2012-10-17', Statement: statements }),
    });
    const why =
      "the CloudFormation execution role creates, updates and deletes resources of the services these stacks use (service:*, reviewed in lib/delivery/execution-policy.ts); IAM is limited to this environment's roles and policies, and administrator policies are denied.";
    const wildcards = [
      ...new Set(
        statements
          .filter((st) => st.Effect === 'Allow')
          .flatMap((st) => [
            ...st.Action.filter((a) => a.includes('*')).map((a) => `Action::${a}`),
            ...st.Resource.filter((r) => r.includes('*')).map((r) => `Resource::${r}`),
          ]),
      ),
    ];
    for (const finding of wildcards)
      Validations.of(policy).acknowledge({ id: `AwsSolutions::AwsSolutions-IAM5[${finding}]`, reason: why });
    Validations.of(policy).acknowledge({
      id: 'HIPAA.Security::HIPAA.Security-IAMPolicyNoStatementsWithFullAccess',
      reason: why,
    });
    Validations.of(policy).acknowledge({
      id: 'NIST.800.53.R5::NIST.800.53.R5-IAMPolicyNoStatementsWithFullAccess',
      reason: why,
    });
    return policy;
  }
}
