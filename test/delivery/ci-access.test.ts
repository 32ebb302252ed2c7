import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ConfigError, committedConfig, loadAppConfig, validateAppConfig } from '../../lib/config';
import { CiAccessStack } from '../../lib/delivery/ci-access-stack';
import { ciEnvironment } from '../../scripts/ci-env';
import { allStacks, stackArtifact, template } from '../support/assembly';

type Statement = { Sid?: string; Effect: string; Action: string | string[]; Resource: string | string[]; Condition?: any; Principal?: any };
const list = (value: string | string[]) => (Array.isArray(value) ? value : [value]);

function resourcesOf(stage: 'Staging' | 'Production', type: string): Array<{ id: string; props: any }> {
  return Object.entries(template(stage, 'CiAccess').findResources(type)).map(([id, r]) => ({ id, props: r.Properties }));
}

function role(stage: 'Staging' | 'Production', name: string) {
  const found = resourcesOf(stage, 'AWS::IAM::Role').find((r) => r.props.RoleName === name);
  if (!found) throw new Error(`no role ${name}`);
  return found;
}

/** Every statement of the managed policies attached to a role. */
function permissionsOf(stage: 'Staging' | 'Production', roleLogicalId: string): Statement[] {
  return resourcesOf(stage, 'AWS::IAM::ManagedPolicy')
    .filter((p) => p.props.Roles.some((r: any) => r.Ref === roleLogicalId))
    .flatMap((p) => p.props.PolicyDocument.Statement);
}

function allowedActions(statements: Statement[]): string[] {
  return statements.flatMap((s) => list(s.Action)).sort();
}

const bootstrap = (kind: string, account: string) => `arn:aws:iam::${account}:role/cdk-hnb659fds-${kind}-role-${account}-us-east-1`;

describe.each([
  ['Staging' as const, 'staging', '111111111111'],
  ['Production' as const, 'production', '222222222222'],
])('%s CI access (GitHub OIDC)', (stage, envName, account) => {
  const repo = 'miko-health/miko-platform-infra';

  it("creates GitHub's OIDC provider for the STS audience only", () => {
    template(stage, 'CiAccess').resourceCountIs('AWS::IAM::OIDCProvider', 1);
    template(stage, 'CiAccess').hasResourceProperties('AWS::IAM::OIDCProvider', {
      Url: 'https://token.actions.githubusercontent.com',
      ClientIdList: ['sts.amazonaws.com'],
    });
  });

  it.each([
    ['diff', `repo:${repo}:pull_request`],
    ['deploy', `repo:${repo}:environment:${envName}`],
  ])('trusts only this repository for the %s role, with the exact subject %s', (kind, subject) => {
    const statements: Statement[] = role(stage, `miko-${envName}-ci-${kind}`).props.AssumeRolePolicyDocument.Statement;
    expect(statements).toHaveLength(1);
    const [trust] = statements;
    expect(trust.Effect).toBe('Allow');
    expect(trust.Action).toBe('sts:AssumeRoleWithWebIdentity');
    expect(trust.Principal.Federated).toEqual({ Ref: expect.stringMatching(/^GitHubOidcProvider/) });
    // Exact match on both claims; a StringLike (wildcards) would admit other repositories, branches or forks.
    expect(trust.Condition).toEqual({
      StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com', 'token.actions.githubusercontent.com:sub': subject },
    });
  });

  it('lets the pull-request role assume the CDK lookup role and nothing else', () => {
    const statements = permissionsOf(stage, role(stage, `miko-${envName}-ci-diff`).id);
    expect(allowedActions(statements)).toEqual(['sts:AssumeRole']);
    expect(statements.flatMap((s) => list(s.Resource))).toEqual([bootstrap('lookup', account)]);
  });

  it('lets the deploy role assume the deploy and publishing roles, but never the lookup role or any other role', () => {
    const statements = permissionsOf(stage, role(stage, `miko-${envName}-ci-deploy`).id);
    const assumable = statements.filter((s) => list(s.Action).includes('sts:AssumeRole')).flatMap((s) => list(s.Resource));
    expect(assumable.sort()).toEqual([bootstrap('deploy', account), bootstrap('file-publishing', account), bootstrap('image-publishing', account)]);
  });

  it('gives the deploy role only read, rollback and rotate-now actions beyond that, each scoped to this account', () => {
    const statements = permissionsOf(stage, role(stage, `miko-${envName}-ci-deploy`).id).filter((s) => s.Sid !== 'AssumeCdkBootstrapRoles');
    expect(allowedActions(statements)).toEqual([
      'cloudformation:DescribeStacks',
      'cloudfront-keyvaluestore:DescribeKeyValueStore', 'cloudfront-keyvaluestore:GetKey', 'cloudfront-keyvaluestore:PutKey',
      'cloudwatch:DescribeAlarms',
      's3:GetObject', 's3:ListBucket',
      'secretsmanager:DescribeSecret', 'secretsmanager:RotateSecret',
    ]);
    for (const resource of statements.flatMap((s) => list(s.Resource))) expect(resource).toMatch(new RegExp(`:${account}:|^arn:aws:s3:::miko-${envName}-site-${account}(/releases/\\*)?$`));
    expect(statements.find((s) => s.Sid === 'CheckReleaseExistsForRollback')!.Resource).toBe(`arn:aws:s3:::miko-${envName}-site-${account}/releases/*`);
    const rotate = statements.find((s) => s.Sid === 'RotateSecretsNow')!;
    expect(rotate.Resource).toBe(`arn:aws:secretsmanager:us-east-1:${account}:secret:miko/${envName}/*`);
    expect(statements.find((s) => s.Sid === 'FindSiteOutputsForRollback')!.Resource).toContain(`:stack/${stage}-*/*`);
  });

  it('never allows iam:* or wildcard actions', () => {
    const statements = resourcesOf(stage, 'AWS::IAM::ManagedPolicy').flatMap((p) => p.props.PolicyDocument.Statement as Statement[]);
    for (const action of allowedActions(statements)) expect(action).not.toMatch(/\*|^iam:/);
  });

  it('tells the workflows the ARNs of exactly these roles (scripts/ci-env.ts)', () => {
    const ci = ciEnvironment(envName as 'staging' | 'production');
    expect(ci.diff_role_arn).toBe(`arn:aws:iam::${account}:role/${role(stage, `miko-${envName}-ci-diff`).props.RoleName}`);
    expect(ci.deploy_role_arn).toBe(`arn:aws:iam::${account}:role/${role(stage, `miko-${envName}-ci-deploy`).props.RoleName}`);
    expect(ci).toMatchObject({ stage, github_environment: envName, region: 'us-east-1' });
  });

  it('keeps CI sessions to an hour', () => {
    for (const kind of ['diff', 'deploy']) expect(role(stage, `miko-${envName}-ci-${kind}`).props.MaxSessionDuration).toBe(3600);
  });

  it("is its own stack in the environment's account, outside the stage, so `cdk deploy '" + stage + "/*'` never deploys it", () => {
    const artifact = stackArtifact(stage, 'CiAccess');
    expect(artifact.environment).toMatchObject({ account, region: 'us-east-1' });
    expect(artifact.hierarchicalId).toBe(`${stage}-CiAccess`);
    const inStage = allStacks().filter((s) => s.hierarchicalId.startsWith(`${stage}/`)).map((s) => s.stackName);
    expect(inStage).not.toContain(`${stage}-CiAccess`);
    expect(inStage).toContain(`${stage}-Data`);
  });
});

describe('CI access in an account that already has GitHub\'s OIDC provider', () => {
  it('trusts the imported provider and creates none', () => {
    const staging = loadAppConfig().staging;
    const arn = 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com';
    const stack = new CiAccessStack(new App(), 'Staging-CiAccess', {
      config: { ...staging, delivery: { ...staging.delivery, oidcProvider: { mode: 'import', arn } } },
      env: { account: staging.account, region: staging.region },
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::OIDCProvider', 0);
    const trusts = Object.values(template.findResources('AWS::IAM::Role')).map((r) => r.Properties.AssumeRolePolicyDocument.Statement[0].Principal.Federated);
    expect(trusts).toEqual([arn, arn]);
  });
});

describe('delivery config', () => {
  function problemsAfter(edit: (config: Record<'staging' | 'production', any>) => void) {
    const config = structuredClone(committedConfig) as Record<'staging' | 'production', any>;
    edit(config);
    try {
      validateAppConfig(config);
      return [];
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      return error.problems.map((p) => `${p.path}: ${p.message}`);
    }
  }

  it('rejects a repository that is not owner/name', () => {
    expect(problemsAfter((c) => { c.staging.delivery.githubRepository = 'miko-platform-infra'; }))
      .toEqual([expect.stringMatching(/^staging\.delivery\.githubRepository: "miko-platform-infra" is not a GitHub repository\. Fix: write it as "owner\/name"/)]);
  });

  it('rejects an environment name that would change the token subject', () => {
    expect(problemsAfter((c) => { c.production.delivery.githubEnvironment = 'prod*'; }))
      .toEqual([expect.stringMatching(/^production\.delivery\.githubEnvironment: "prod\*" is not a usable GitHub environment name\. Fix:/)]);
  });

  it('refuses one GitHub environment for both, which would let staging jobs deploy production unreviewed', () => {
    expect(problemsAfter((c) => { c.production.delivery.githubEnvironment = 'staging'; }))
      .toEqual([expect.stringMatching(/^production\.delivery\.githubEnvironment: "staging" is also staging's GitHub environment.*Fix:/)]);
  });

  it("refuses an imported OIDC provider of another account", () => {
    expect(problemsAfter((c) => {
      c.staging.delivery.oidcProvider = { mode: 'import', arn: 'arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com' };
    })).toEqual([expect.stringMatching(/^staging\.delivery\.oidcProvider\.arn: the OIDC provider belongs to account 222222222222.*Fix:/)]);
  });
});
