/**
 * The CloudFormation execution policy (what `cdk bootstrap --cloudformation-execution-policies` gives CloudFormation)
 * allows every permission that the create, update and delete handlers of each deployed resource type need, as
 * CloudFormation's published resource schemas list them (tools/permissions/cfn-handler-permissions.json), decided by
 * the IAM engine of the permission matrix with the execution role as the principal.
 */
import { ENVIRONMENT_NAMES, EnvironmentName } from '../../lib/config/schema';
import {
  executionPolicyName,
  executionPolicyStatements,
  NAMESPACE_SERVICES,
  PolicyStatementJson,
} from '../../lib/delivery/execution-policy';
import { STAGE_IDS } from '../../lib/stage-ids';
import {
  executionRoleStacks,
  HandlerPermissionsFile,
  readHandlerPermissions,
  reasonWithoutSchema,
  resourceTypes,
} from '../../scripts/permissions/cfn-handlers';
import { handlerCoverage, UNUSED_FEATURES } from '../../scripts/permissions/handler-coverage';
import { environmentStackTemplates } from '../../scripts/permissions/stacks';
import { assemblyDir } from '../support/assembly';

const data = readHandlerPermissions();

/** The execution policy as the CiAccess stack deploys it. */
function deployedExecutionPolicy(env: EnvironmentName): PolicyStatementJson[] {
  const ciAccess = environmentStackTemplates(assemblyDir(), env).find((s) => s.part === 'CiAccess')!;
  const policies = Object.values(ciAccess.template.Resources).filter(
    (r) => r.Type === 'AWS::IAM::ManagedPolicy' && r.Properties?.ManagedPolicyName === executionPolicyName(env),
  );
  expect(policies).toHaveLength(1);
  return (policies[0].Properties!.PolicyDocument as { Statement: PolicyStatementJson[] }).Statement;
}

const stacksOf = (env: EnvironmentName) =>
  executionRoleStacks(assemblyDir()).filter((s) => s.stackName.startsWith(`${STAGE_IDS[env]}-`));

describe.each(ENVIRONMENT_NAMES)('%s: the bootstrap execution policy and the resource handlers', (env) => {
  const stage = STAGE_IDS[env];

  it('allows every create, update and delete permission of every resource type the stacks deploy', async () => {
    const stacks = stacksOf(env);
    expect(stacks.map((s) => s.part)).toEqual(expect.arrayContaining(['Data', 'Site', 'Monitoring', 'Backups']));
    expect(stacks[0].executionRoleArn).toBe(
      `arn:aws:iam::${stacks[0].account}:role/cdk-hnb659fds-cfn-exec-role-${stacks[0].account}-us-east-1`,
    );
    const coverage = await handlerCoverage({ statements: deployedExecutionPolicy(env), data, stacks, stage });
    expect(coverage.problems).toEqual([]);
    // What was skipped is small and named: a feature no resource uses, or a name IAM's data does not know.
    expect(coverage.unusedFeatures.every((u) => / \(.+\)/.test(u))).toBe(true);
    expect(coverage.unknownActions.length).toBeLessThan(20);
  });

  it('fails, naming the type, the handler, the action and the fix, when a service is dropped from the policy', async () => {
    const stacks = stacksOf(env);
    const { 'AWS::CloudFront': _dropped, ...withoutCloudFront } = NAMESPACE_SERVICES;
    const coverage = (statements: PolicyStatementJson[]) => handlerCoverage({ statements, data, stacks, stage });
    const before = await coverage(executionPolicyStatements(env, stacks[0].account, stacks[0].region));
    const after = await coverage(
      executionPolicyStatements(env, stacks[0].account, stacks[0].region, withoutCloudFront),
    );
    const problems = after.problems.filter((p) => !before.problems.includes(p));
    expect(problems).toContain(
      'AWS::CloudFront::Distribution create: cloudfront:CreateDistribution on * is allowed by no statement. Fix: allow it in lib/delivery/execution-policy.ts (the service in NAMESPACE_SERVICES, or the one call in CROSS_SERVICE_HANDLER_ACTIONS).',
    );
    expect(problems.every((p) => p.startsWith('AWS::CloudFront::'))).toBe(true);
  });

  it("fails on an IAM permission the policy allows only on another environment's roles", async () => {
    const stacks = stacksOf(env);
    const other = ENVIRONMENT_NAMES.find((e) => e !== env)!;
    const statements = executionPolicyStatements(other, stacks[0].account, stacks[0].region);
    const { problems } = await handlerCoverage({ statements, data, stacks, stage });
    expect(problems).toContain(
      `AWS::IAM::Role create: iam:CreateRole on arn:aws:iam::${stacks[0].account}:role/${stage}-handler-probe is allowed by no statement. Fix: allow it in lib/delivery/execution-policy.ts (ROLE_ACTIONS or POLICY_ACTIONS, on this environment's ARNs only).`,
    );
  });

  it('fails on a role or managed policy named outside this environment, saying to rename it', async () => {
    const stacks = stacksOf(env);
    const named = { Type: 'AWS::IAM::ManagedPolicy', Properties: { ManagedPolicyName: `miko-${env}-publisher` } };
    const withName = [{ ...stacks[0], template: { Resources: { Named: named } } }];
    const statements = deployedExecutionPolicy(env);
    const { problems } = await handlerCoverage({ statements, data, stacks: withName, stage });
    expect(problems).toContain(
      `AWS::IAM::ManagedPolicy create: iam:CreatePolicy on arn:aws:iam::${stacks[0].account}:policy/miko-${env}-publisher is allowed by no statement. Fix: name it ${stage}-<name> (the policy manages only this environment's ${stage}-* roles and policies, in lib/delivery/execution-policy.ts).`,
    );
  });

  it('skips a permission of an unused feature only while no resource uses it', async () => {
    const stacks = stacksOf(env);
    const lambda = stacks
      .flatMap((s) => Object.values(s.template.Resources))
      .find((r) => r.Type === 'AWS::Lambda::Function')!;
    const mounted = {
      ...lambda,
      Properties: { ...lambda.Properties, FileSystemConfigs: [{ Arn: 'x', LocalMountPath: '/mnt/x' }] },
    };
    const withMount = [{ ...stacks[0], template: { Resources: { Mounted: mounted } } }];
    const { problems } = await handlerCoverage({
      statements: deployedExecutionPolicy(env),
      data,
      stacks: withMount,
      stage,
    });
    expect(problems).toContain(
      'AWS::Lambda::Function create: elasticfilesystem:DescribeMountTargets on * is allowed by no statement. Fix: allow it in lib/delivery/execution-policy.ts (the service in NAMESPACE_SERVICES, or the one call in CROSS_SERVICE_HANDLER_ACTIONS).',
    );
  });

  it('fails for a deployed type the data file lacks, saying how to refresh it', async () => {
    const stacks = stacksOf(env);
    const { 'AWS::SQS::Queue': _queue, ...types } = data.types;
    const stale: HandlerPermissionsFile = { ...data, types };
    const { problems } = await handlerCoverage({
      statements: deployedExecutionPolicy(env),
      data: stale,
      stacks,
      stage,
    });
    expect(problems.filter((p) => p.startsWith('AWS::SQS::'))).toEqual([
      'AWS::SQS::Queue is deployed but not in tools/permissions/cfn-handler-permissions.json. Fix: run npm run cfn-handler-permissions -- --schemas <dir> --source <text>.',
    ]);
  });
});

describe('tools/permissions/cfn-handler-permissions.json', () => {
  it('lists exactly the resource types the assembly deploys through the execution role', () => {
    // The tests' synth leaves out CDK's version-reporting resource, which `npm run synth` (cdk.out) has.
    const deployed = resourceTypes(executionRoleStacks(assemblyDir())).filter((t) => t !== 'AWS::CDK::Metadata');
    const listed = [...Object.keys(data.types), ...Object.keys(data.withoutSchema)]
      .filter((t) => t !== 'AWS::CDK::Metadata')
      .sort();
    const missing = deployed.filter((t) => !listed.includes(t));
    expect(missing.map((t) => `${t}: run npm run cfn-handler-permissions -- --schemas <dir> --source <text>`)).toEqual(
      [],
    );
    expect(listed).toEqual(deployed);
  });

  it('says where its schemas came from, and why a type has none', () => {
    expect(data.provenance.schemas).toContain('CloudformationSchema.zip');
    expect(data.provenance.copy).toMatch(/commit [0-9a-f]{40}/);
    expect(data.provenance.extracted).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(data.withoutSchema['AWS::CDK::Metadata']).toMatch(/calls no service/);
    for (const [type, reason] of Object.entries(data.withoutSchema))
      expect(reason).toEqual(reasonWithoutSchema(type) ?? expect.stringMatching(/declares no handlers/));
    expect(data.types['AWS::S3::Bucket'].create).toContain('s3:CreateBucket');
  });

  it('skips only features named with the property that needs them', () => {
    for (const feature of UNUSED_FEATURES) expect(feature.feature).toMatch(/\(.+\)/);
  });
});
