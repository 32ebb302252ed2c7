/**
 * The CloudFormation execution policy (`cdk bootstrap --cloudformation-execution-policies`) covers every resource
 * type the stages synthesize, and no more IAM than this environment's own roles and policies. When a stack adds a
 * resource of a service the policy does not allow, the first test fails and names the type and the table to edit.
 */
import { NAMESPACE_SERVICES, executionPolicyName, servicesFor } from '../../lib/delivery/execution-policy';
import { bootstrapCommands } from '../../scripts/bootstrap-command';
import { allStacks, template } from '../support/assembly';
import { stringLike } from './support/iam-conditions';

type Statement = { Effect: 'Allow' | 'Deny'; Action: string | string[]; Resource: string | string[]; Condition?: any };
const list = (value: string | string[]) => (Array.isArray(value) ? value : [value]);

function executionPolicy(stage: 'Staging' | 'Production', envName: string): Statement[] {
  const policies = Object.values(template(stage, 'CiAccess').findResources('AWS::IAM::ManagedPolicy')).filter(
    (p) => p.Properties.ManagedPolicyName === executionPolicyName(envName as 'staging'),
  );
  expect(policies).toHaveLength(1);
  return policies[0].Properties.PolicyDocument.Statement;
}

/** Whether the policy allows `action` on `resource` (Allow matches, no Deny without a condition matches). */
function allows(statements: Statement[], action: string, resource: string): boolean {
  const matches = (st: Statement) =>
    list(st.Action).some((a) => stringLike(a, action)) && list(st.Resource).some((r) => stringLike(r, resource));
  return (
    statements.some((st) => st.Effect === 'Allow' && matches(st)) &&
    !statements.some((st) => st.Effect === 'Deny' && !st.Condition && matches(st))
  );
}

/** What a resource type needs that the policy does not allow, as messages that say how to fix it. */
function coverageProblems(resourceTypes: string[], statements: Statement[]): string[] {
  return resourceTypes.flatMap((type) => {
    const services = servicesFor(type);
    if (!services)
      return [
        `${type}: no row for its namespace. Fix: add '${type.split('::').slice(0, 2).join('::')}': [<IAM service prefix>] to NAMESPACE_SERVICES in lib/delivery/execution-policy.ts`,
      ];
    return services
      .filter((s) => s !== 'iam' && !allows(statements, `${s}:CreateAnything`, '*'))
      .map((s) => `${type}: the execution policy does not allow ${s}:*. Fix: lib/delivery/execution-policy.ts`);
  });
}

describe.each([
  ['Staging' as const, 'staging', '111111111111'],
  ['Production' as const, 'production', '222222222222'],
])('%s CloudFormation execution policy', (stage, envName, account) => {
  const types = [
    ...new Set(
      allStacks()
        .filter((s) => s.hierarchicalId.startsWith(`${stage}/`))
        .flatMap((s) => Object.values<any>(s.template.Resources ?? {}).map((r) => r.Type)),
    ),
  ].sort();

  it("covers every resource type the stage's stacks synthesize", () => {
    expect(types.length).toBeGreaterThan(20);
    expect(coverageProblems(types, executionPolicy(stage, envName))).toEqual([]);
  });

  it('fails for a resource type of a service nobody has reviewed yet, naming the fix', () => {
    expect(coverageProblems(['AWS::Bedrock::Agent'], executionPolicy(stage, envName))).toEqual([
      expect.stringMatching(/^AWS::Bedrock::Agent: no row for its namespace\. Fix: add 'AWS::Bedrock'/),
    ]);
  });

  it('already covers what the platform is expected to add next (DynamoDB, ECS/ECR, VPC, Scheduler, Step Functions, SQS, Logs queries)', () => {
    const expected = [
      'AWS::DynamoDB::Table',
      'AWS::ECS::Service',
      'AWS::ECR::Repository',
      'AWS::EC2::VPC',
      'AWS::Scheduler::Schedule',
      'AWS::StepFunctions::StateMachine',
      'AWS::SQS::Queue',
      'AWS::Logs::QueryDefinition',
      'AWS::S3::Bucket',
      'Custom::Anything',
    ];
    expect(coverageProblems(expected, executionPolicy(stage, envName))).toEqual([]);
  });

  it("manages only this environment's roles and policies, never the CI roles or this policy itself", () => {
    const policy = executionPolicy(stage, envName);
    expect(allows(policy, 'iam:CreateRole', `arn:aws:iam::${account}:role/${stage}-Health-HealthApiRole-1A2B3C`)).toBe(
      true,
    );
    expect(allows(policy, 'iam:PassRole', `arn:aws:iam::${account}:role/${stage}-Data-RotationRole-1A2B3C`)).toBe(true);
    expect(allows(policy, 'iam:CreatePolicy', `arn:aws:iam::${account}:policy/${stage}-Data-Permissions-1A2B3C`)).toBe(
      true,
    );
    expect(allows(policy, 'iam:UpdateAssumeRolePolicy', `arn:aws:iam::${account}:role/miko-${envName}-ci-deploy`)).toBe(
      false,
    );
    expect(
      allows(policy, 'iam:CreatePolicyVersion', `arn:aws:iam::${account}:policy/miko-${envName}-cfn-execution`),
    ).toBe(false);
    expect(allows(policy, 'iam:CreateUser', `arn:aws:iam::${account}:user/${stage}-x`)).toBe(false);
    expect(
      allows(
        policy,
        'iam:CreateRole',
        `arn:aws:iam::${account}:role/${stage === 'Staging' ? 'Production' : 'Staging'}-x`,
      ),
    ).toBe(false);
    expect(
      list(policy.flatMap((st) => list(st.Action))).filter((a) => a.startsWith('iam:') && a.includes('*')),
    ).toEqual([]);
  });

  it("denies attaching AWS's administrator policies to any role", () => {
    const deny = executionPolicy(stage, envName).find((st) => st.Effect === 'Deny')!;
    expect(list(deny.Action)).toContain('iam:AttachRolePolicy');
    expect(deny.Condition.ArnEquals['iam:PolicyARN']).toEqual(
      expect.arrayContaining(['arn:aws:iam::aws:policy/AdministratorAccess']),
    );
  });

  it("fits IAM's 6,144-character limit for a managed policy, with room for the services still to come", () => {
    expect(JSON.stringify(executionPolicy(stage, envName)).length).toBeLessThan(6144 / 2);
  });

  it('is what the printed bootstrap command passes', () => {
    const { command } = bootstrapCommands([envName as 'staging']).at(0)!;
    expect(command).toBe(
      `npx cdk bootstrap aws://${account}/us-east-1 --cloudformation-execution-policies arn:aws:iam::${account}:policy/miko-${envName}-cfn-execution --no-notices`,
    );
  });

  it("is not deployed through the bootstrap roles itself (the CiAccess stack uses the operator's credentials)", () => {
    const ciAccess = allStacks().find((s) => s.stackName === `${stage}-CiAccess`)!;
    expect(ciAccess.assumeRoleArn).toBeUndefined();
    expect(ciAccess.cloudFormationExecutionRoleArn).toBeUndefined();
  });
});

describe('the resource-type table', () => {
  it('maps namespaces to IAM service prefixes (lowercase, no wildcards)', () => {
    for (const services of Object.values(NAMESPACE_SERVICES))
      for (const s of services) expect(s).toMatch(/^[a-z0-9-]+$/);
    expect(servicesFor('Custom::CDKBucketDeployment')).toEqual(['lambda']);
    expect(servicesFor('AWS::Logs::QueryDefinition')).toEqual(['logs']);
  });
});
