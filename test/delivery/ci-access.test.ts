import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ConfigError, committedConfig, loadAppConfig, validateAppConfig } from '../../lib/config';
import { CiAccessStack } from '../../lib/delivery/ci-access-stack';
import { ciEnvironment } from '../../scripts/ci/ci-env';
import { allStacks, stackArtifact, template } from '../support/assembly';
import { conditionHolds, stringLike } from './support/iam-conditions';

type Statement = {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
  Condition?: any;
  Principal?: any;
};
const list = (value: string | string[]) => (Array.isArray(value) ? value : [value]);

function resourcesOf(stage: 'Staging' | 'Production', type: string): Array<{ id: string; props: any }> {
  return Object.entries(template(stage, 'CiAccess').findResources(type)).map(([id, r]) => ({
    id,
    props: r.Properties,
  }));
}

function role(stage: 'Staging' | 'Production', name: string) {
  const found = resourcesOf(stage, 'AWS::IAM::Role').find((r) => r.props.RoleName === name);
  if (!found) throw new Error(`no role ${name}`);
  return found;
}

/** Every statement of the managed policies attached to a role. */
function permissionsOf(stage: 'Staging' | 'Production', roleLogicalId: string): Statement[] {
  return resourcesOf(stage, 'AWS::IAM::ManagedPolicy')
    .filter((p) => (p.props.Roles ?? []).some((r: any) => r.Ref === roleLogicalId))
    .flatMap((p) => p.props.PolicyDocument.Statement);
}

function allowedActions(statements: Statement[]): string[] {
  return statements.flatMap((s) => list(s.Action)).sort();
}

/** What verify reads and a rollback does: all the rollback role may do, and part of what the deploy role may. */
const VERIFY_AND_ROLLBACK_ACTIONS = [
  'cloudformation:DescribeStacks',
  'cloudfront-keyvaluestore:DescribeKeyValueStore',
  'cloudfront-keyvaluestore:GetKey',
  'cloudfront-keyvaluestore:UpdateKeys',
  'cloudwatch:DescribeAlarms',
  'kms:Decrypt', // the audit trail's SSE-KMS, through S3 only
  'kms:GenerateDataKey',
  's3:GetObject', // releases/ of the site bucket (rollback)
  's3:GetObject', // the audit trail (to chain a record to the newest)
  's3:ListBucket',
  's3:ListBucket',
  's3:PutObject', // the audit trail only: see AppendToAuditTrail
];

const bootstrap = (kind: string, account: string) =>
  `arn:aws:iam::${account}:role/cdk-hnb659fds-${kind}-role-${account}-us-east-1`;

describe.each([
  ['Staging' as const, 'staging', '111111111111'],
  ['Production' as const, 'production', '222222222222'],
])('%s CI access (GitHub OIDC)', (stage, envName, account) => {
  const repo = 'miko-health/miko-platform-infra';

  it("creates GitHub's OIDC provider for the STS audience only", () => {
    // CDK's Template assertions throw on a mismatch; wrapped so the suite's one-assertion rule sees them.
    expect(() => {
      template(stage, 'CiAccess').resourceCountIs('AWS::IAM::OIDCProvider', 1);
      template(stage, 'CiAccess').hasResourceProperties('AWS::IAM::OIDCProvider', {
        Url: 'https://token.actions.githubusercontent.com',
        ClientIdList: ['sts.amazonaws.com'],
      });
    }).not.toThrow();
  });

  // The token's `sub` as customised by `npm run ci-setup`, written by hand (not with lib/delivery/github-oidc.ts) so a
  // wrong builder cannot pass. `caller`: the ref the run came from; `at`: the ref of the workflow file.
  const sub = (context: string, caller: string, file: string, at = caller) =>
    `repo:${repo}:${context}:ref:${caller}:job_workflow_ref:${repo}/.github/workflows/${file}@${at}`;
  const main = 'refs/heads/main';
  const branch = 'refs/heads/feature-x';
  const pr = 'refs/pull/42/merge';
  const other = envName === 'staging' ? 'production' : 'staging';
  const tokens: Array<[string, string, 'diff' | 'deploy' | 'rollback' | 'none']> = [
    [
      "main's deploy (deploy.yml → deploy-environment.yml, in the environment)",
      sub(`environment:${envName}`, main, 'deploy-environment.yml'),
      'deploy',
    ],
    ["main's rotate-secrets, in the environment", sub(`environment:${envName}`, main, 'rotate-secrets.yml'), 'deploy'],
    ["main's rollback (no environment: no reviewer queue)", sub(`ref:${main}`, main, 'rollback.yml'), 'rollback'],
    ['a pull-request job', sub('pull_request', pr, 'pull-request.yml'), 'diff'],
    [
      'a pull-request job that declares environment: ' + envName,
      sub(`environment:${envName}`, pr, 'pull-request.yml'),
      'none',
    ],
    [
      'a deploy dispatched from a branch (edited steps, same environment)',
      sub(`environment:${envName}`, branch, 'deploy-environment.yml'),
      'none',
    ],
    [
      "a branch's workflow calling main's deploy-environment.yml by name (its own build deployed)",
      sub(`environment:${envName}`, branch, 'deploy-environment.yml', main),
      'none',
    ],
    ['a rollback dispatched from a branch', sub(`ref:${branch}`, branch, 'rollback.yml'), 'none'],
    [
      "a branch's workflow calling main's rollback.yml by name",
      sub(`ref:${branch}`, branch, 'rollback.yml', main),
      'none',
    ],
    [
      "main's rollback.yml run in the environment (not how it is started)",
      sub(`environment:${envName}`, main, 'rollback.yml'),
      'none',
    ],
    ['another workflow on main, in the environment', sub(`environment:${envName}`, main, 'pull-request.yml'), 'none'],
    ["main's deploy of the other environment", sub(`environment:${other}`, main, 'deploy-environment.yml'), 'none'],
    ['a new workflow file added by a pull request', sub('pull_request', pr, 'evil.yml'), 'none'],
    [
      "a fork's own workflow (GitHub gives fork PRs of ours no token)",
      `repo:attacker/miko-platform-infra:pull_request:ref:refs/pull/1/merge:job_workflow_ref:attacker/miko-platform-infra/.github/workflows/pull-request.yml@refs/pull/1/merge`,
      'none',
    ],
    [
      'a look-alike repository name',
      `repo:${repo}-fork:pull_request:ref:refs/pull/1/merge:job_workflow_ref:${repo}-fork/.github/workflows/pull-request.yml@refs/pull/1/merge`,
      'none',
    ],
    [
      'the subject without the caller ref, as before this setting (fails closed)',
      `repo:${repo}:environment:${envName}:job_workflow_ref:${repo}/.github/workflows/deploy-environment.yml@${main}`,
      'none',
    ],
    ['the default subject, before `npm run ci-setup` (fails closed)', `repo:${repo}:environment:${envName}`, 'none'],
  ];

  it.each(tokens)('trust policies against the token of %s', (_who, subject, allowed) => {
    for (const kind of ['diff', 'deploy', 'rollback'] as const) {
      const statements: Statement[] = role(stage, `miko-${envName}-ci-${kind}`).props.AssumeRolePolicyDocument
        .Statement;
      const admits = (context: Record<string, string>) =>
        statements.some(
          (st) =>
            st.Effect === 'Allow' &&
            st.Action === 'sts:AssumeRoleWithWebIdentity' &&
            conditionHolds(st.Condition, context),
        );
      expect({
        kind,
        admitted: admits({
          'token.actions.githubusercontent.com:sub': subject,
          'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
        }),
      }).toEqual({ kind, admitted: allowed === kind });
      // The right subject for another audience is refused too.
      expect(
        admits({
          'token.actions.githubusercontent.com:sub': subject,
          'token.actions.githubusercontent.com:aud': 'https://github.com/miko-health',
        }),
      ).toBe(false);
    }
  });

  it("trusts only GitHub's provider, with StringLike only where a subject has a wildcard (the pull-request number)", () => {
    for (const kind of ['diff', 'deploy', 'rollback']) {
      const [trust, ...more]: Statement[] = role(stage, `miko-${envName}-ci-${kind}`).props.AssumeRolePolicyDocument
        .Statement;
      expect(more).toEqual([]);
      expect(trust.Principal.Federated).toEqual({ Ref: expect.stringMatching(/^GitHubOidcProvider/) });
      const wildcardSubjects = Object.values<any>(trust.Condition.StringLike ?? {}).flat();
      for (const subject of wildcardSubjects)
        expect(subject).toMatch(/^[^*?]*:ref:refs\/pull\/\*\/merge:[^*?]*@refs\/pull\/\*\/merge$/);
      expect(kind === 'diff' ? wildcardSubjects : []).toHaveLength(kind === 'diff' ? 1 : 0);
    }
  });

  it('lets the pull-request role read the deployed templates of this environment and the bootstrap version, nothing else', () => {
    const statements = permissionsOf(stage, role(stage, `miko-${envName}-ci-diff`).id);
    // The effective permissions, listed: action → resources.
    const effective = statements.flatMap((st) =>
      list(st.Action).map((action) => [action, list(st.Resource).join(' '), st.Effect]),
    );
    expect(effective).toEqual([
      ['cloudformation:DescribeStacks', `arn:aws:cloudformation:us-east-1:${account}:stack/${stage}-*/*`, 'Allow'],
      ['cloudformation:GetTemplate', `arn:aws:cloudformation:us-east-1:${account}:stack/${stage}-*/*`, 'Allow'],
      ['ssm:GetParameter', `arn:aws:ssm:us-east-1:${account}:parameter/cdk-bootstrap/hnb659fds/version`, 'Allow'],
    ]);
    expect(JSON.stringify(statements)).not.toMatch(/sts:AssumeRole|lookup-role|ReadOnlyAccess/);
    expect(role(stage, `miko-${envName}-ci-diff`).props.ManagedPolicyArns).toBeUndefined();
  });

  it('lets the deploy role assume the deploy and publishing roles, but never the lookup role or any other role', () => {
    const statements = permissionsOf(stage, role(stage, `miko-${envName}-ci-deploy`).id);
    const assumable = statements
      .filter((s) => list(s.Action).includes('sts:AssumeRole'))
      .flatMap((s) => list(s.Resource));
    expect(assumable.sort()).toEqual([
      bootstrap('deploy', account),
      bootstrap('file-publishing', account),
      bootstrap('image-publishing', account),
    ]);
  });

  it('gives the deploy role only read, rollback, rotate-now, backup-image push and canary-verdict actions beyond that, each scoped to this account', () => {
    const all = permissionsOf(stage, role(stage, `miko-${envName}-ci-deploy`).id).filter(
      (s) => s.Sid !== 'AssumeCdkBootstrapRoles',
    );
    // docker login: GetAuthorizationToken has no resource type, so it is the one statement on "*".
    expect(all.find((s) => s.Sid === 'LogInToEcr')).toMatchObject({
      Action: 'ecr:GetAuthorizationToken',
      Resource: '*',
    });
    // verify --canary's verdict: PutMetricData has no resource type either; the namespace condition is its scope.
    expect(all.find((s) => s.Sid === 'PublishCanaryVerdict')).toMatchObject({
      Action: 'cloudwatch:PutMetricData',
      Resource: '*',
      Condition: { StringEquals: { 'cloudwatch:namespace': 'MiKO/Release' } },
    });
    const statements = all.filter((s) => s.Sid !== 'LogInToEcr' && s.Sid !== 'PublishCanaryVerdict');
    expect(allowedActions(statements)).toEqual(
      [
        ...VERIFY_AND_ROLLBACK_ACTIONS,
        'ecr:BatchCheckLayerAvailability',
        'ecr:BatchGetImage',
        'ecr:CompleteLayerUpload',
        'ecr:DescribeImages',
        'ecr:InitiateLayerUpload',
        'ecr:PutImage',
        'ecr:UploadLayerPart',
        'secretsmanager:DescribeSecret',
        'secretsmanager:RotateSecret',
      ].sort(),
    );
    expect(statements.find((s) => s.Sid === 'PushBackupImage')!.Resource).toBe(
      `arn:aws:ecr:us-east-1:${account}:repository/miko-${envName}-backup-images`,
    );
    for (const resource of statements.flatMap((s) => list(s.Resource)))
      expect(resource).toMatch(
        new RegExp(
          `:${account}:|^arn:aws:s3:::miko-${envName}-site-${account}(/releases/\\*)?$|^arn:aws:s3:::miko-${envName}-audit-${account}(/audit/${envName}/\\*)?$`,
        ),
      );
    expect(statements.find((s) => s.Sid === 'AppendToAuditTrail')!.Resource).toBe(
      `arn:aws:s3:::miko-${envName}-audit-${account}/audit/${envName}/*`,
    );
    expect(statements.find((s) => s.Sid === 'EncryptAuditRecordsThroughS3')!.Condition).toEqual({
      StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' },
    });
    expect(statements.find((s) => s.Sid === 'CheckReleaseExistsForRollback')!.Resource).toBe(
      `arn:aws:s3:::miko-${envName}-site-${account}/releases/*`,
    );
    const rotate = statements.find((s) => s.Sid === 'RotateSecretsNow')!;
    expect(rotate.Resource).toBe(`arn:aws:secretsmanager:us-east-1:${account}:secret:miko/${envName}/*`);
    expect(statements.find((s) => s.Sid === 'FindSiteOutputsForRollback')!.Resource).toContain(`:stack/${stage}-*/*`);
  });

  it('never allows iam:* or wildcard actions', () => {
    // The CloudFormation execution policy is the one exception, tested on its own (execution-policy.test.ts).
    const statements = resourcesOf(stage, 'AWS::IAM::ManagedPolicy')
      .filter((p) => p.props.ManagedPolicyName !== `miko-${envName}-cfn-execution`)
      .flatMap((p) => p.props.PolicyDocument.Statement as Statement[]);
    for (const action of allowedActions(statements)) expect(action).not.toMatch(/\*|^iam:/);
  });

  it('tells the workflows the ARNs of exactly these roles (scripts/ci/ci-env.ts)', () => {
    const ci = ciEnvironment(envName as 'staging' | 'production');
    expect(ci.diff_role_arn).toBe(
      `arn:aws:iam::${account}:role/${role(stage, `miko-${envName}-ci-diff`).props.RoleName}`,
    );
    expect(ci.deploy_role_arn).toBe(
      `arn:aws:iam::${account}:role/${role(stage, `miko-${envName}-ci-deploy`).props.RoleName}`,
    );
    expect(ci).toMatchObject({ stage, github_environment: envName, region: 'us-east-1' });
  });

  it('gives the rollback role what verify reads and a rollback does, nothing else', () => {
    const statements = permissionsOf(stage, role(stage, `miko-${envName}-ci-rollback`).id);
    expect(allowedActions(statements)).toEqual(VERIFY_AND_ROLLBACK_ACTIONS);
    expect(ciEnvironment(envName as 'staging' | 'production').rollback_role_arn).toBe(
      `arn:aws:iam::${account}:role/miko-${envName}-ci-rollback`,
    );
  });

  it("offers a person's role miko-<env>-audit-append: the Site outputs and the append to this environment's trail, nothing else", () => {
    const policy = resourcesOf(stage, 'AWS::IAM::ManagedPolicy').find(
      (p) => p.props.ManagedPolicyName === `miko-${envName}-audit-append`,
    )!;
    expect(policy.props.Roles ?? policy.props.Users ?? policy.props.Groups).toBeUndefined();
    const statements = policy.props.PolicyDocument.Statement as Statement[];
    expect(allowedActions(statements)).toEqual([
      'cloudformation:DescribeStacks',
      'kms:Decrypt',
      'kms:GenerateDataKey',
      's3:GetObject',
      's3:ListBucket',
      's3:PutObject',
    ]);
    const put = statements.find((s) => list(s.Action).includes('s3:PutObject'))!;
    expect(put.Resource).toBe(`arn:aws:s3:::miko-${envName}-audit-${account}/audit/${envName}/*`);
    const describe = statements.find((s) => list(s.Action).includes('cloudformation:DescribeStacks'))!;
    expect(describe.Resource).toBe(`arn:aws:cloudformation:us-east-1:${account}:stack/${stage}-Site/*`);
    const key = statements.find((s) => list(s.Action).includes('kms:Decrypt'))!;
    expect(key.Condition).toEqual({ StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } });
  });

  it('keeps CI sessions to an hour', () => {
    for (const kind of ['diff', 'deploy', 'rollback'])
      expect(role(stage, `miko-${envName}-ci-${kind}`).props.MaxSessionDuration).toBe(3600);
  });

  it(
    "is its own stack in the environment's account, outside the stage, so `cdk deploy '" +
      stage +
      "/*'` never deploys it",
    () => {
      const artifact = stackArtifact(stage, 'CiAccess');
      expect(artifact.environment).toMatchObject({ account, region: 'us-east-1' });
      expect(artifact.hierarchicalId).toBe(`${stage}-CiAccess`);
      const inStage = allStacks()
        .filter((s) => s.hierarchicalId.startsWith(`${stage}/`))
        .map((s) => s.stackName);
      expect(inStage).not.toContain(`${stage}-CiAccess`);
      expect(inStage).toContain(`${stage}-Data`);
    },
  );
});

describe("CI access in an account that already has GitHub's OIDC provider", () => {
  it('trusts the imported provider and creates none', () => {
    const staging = loadAppConfig().staging;
    const arn = 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com';
    const stack = new CiAccessStack(new App(), 'Staging-CiAccess', {
      config: { ...staging, delivery: { ...staging.delivery, oidcProvider: { mode: 'import', arn } } },
      env: { account: staging.account, region: staging.region },
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::OIDCProvider', 0);
    const trusts = Object.values(template.findResources('AWS::IAM::Role')).map(
      (r) => r.Properties.AssumeRolePolicyDocument.Statement[0].Principal.Federated,
    );
    expect(trusts).toEqual([arn, arn, arn]);
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
    expect(
      problemsAfter((c) => {
        c.staging.delivery.githubRepository = 'miko-platform-infra';
      }),
    ).toEqual([
      expect.stringMatching(
        /^staging\.delivery\.githubRepository: "miko-platform-infra" is not a GitHub repository\. Fix: write it as "owner\/name"/,
      ),
    ]);
  });

  it('rejects an environment name that would change the token subject', () => {
    expect(
      problemsAfter((c) => {
        c.production.delivery.githubEnvironment = 'prod*';
      }),
    ).toEqual([
      expect.stringMatching(
        /^production\.delivery\.githubEnvironment: "prod\*" is not a usable GitHub environment name\. Fix:/,
      ),
    ]);
  });

  it('refuses one GitHub environment for both, which would let staging jobs deploy production unreviewed', () => {
    expect(
      problemsAfter((c) => {
        c.production.delivery.githubEnvironment = 'staging';
      }),
    ).toEqual([
      expect.stringMatching(
        /^production\.delivery\.githubEnvironment: "staging" is also staging's GitHub environment.*Fix:/,
      ),
    ]);
  });

  it('refuses an imported OIDC provider of another account', () => {
    expect(
      problemsAfter((c) => {
        c.staging.delivery.oidcProvider = {
          mode: 'import',
          arn: 'arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com',
        };
      }),
    ).toEqual([
      expect.stringMatching(
        /^staging\.delivery\.oidcProvider\.arn: the OIDC provider belongs to account 222222222222.*Fix:/,
      ),
    ]);
  });
});

describe('the IAM condition evaluator the trust-policy table relies on', () => {
  it('matches StringLike wildcards as IAM does: * any run, ? one character, the rest literal', () => {
    expect(stringLike('refs/pull/*/merge', 'refs/pull/42/merge')).toBe(true);
    expect(stringLike('refs/pull/*/merge', 'refs/pull//merge')).toBe(true);
    expect(stringLike('refs/pull/*/merge', 'refs/pull/42/head')).toBe(false);
    expect(stringLike('v?.yml', 'v1.yml')).toBe(true);
    expect(stringLike('v?.yml', 'v12.yml')).toBe(false);
    expect(stringLike('a.b', 'axb')).toBe(false);
  });

  it('needs every key of every operator, any value of a key, and refuses a missing key or an unknown operator', () => {
    const condition = { StringEquals: { aud: 'sts', sub: ['a', 'b'] } };
    expect(conditionHolds(condition, { aud: 'sts', sub: 'b' })).toBe(true);
    expect(conditionHolds(condition, { aud: 'sts', sub: 'c' })).toBe(false);
    expect(conditionHolds(condition, { sub: 'a' })).toBe(false);
    expect(() => conditionHolds({ 'ForAnyValue:StringLike': { sub: '*' } }, { sub: 'a' })).toThrow(
      /does not know the IAM condition operator/,
    );
  });
});
