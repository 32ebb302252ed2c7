/**
 * What CloudFormation may do deploying the stages: the policy `cdk bootstrap --cloudformation-execution-policies`
 * gives the execution role instead of AdministratorAccess (`npm run bootstrap-command`). It allows these stacks'
 * services, and IAM only on this environment's own roles and policies, never AWS's administrator policies.
 * CiAccess is not deployed through it, so it cannot widen itself or the CI roles. A new service needs a row below.
 */
import type { EnvironmentName } from '../config';
import { STAGE_IDS } from '../stage-ids';
import { bootstrapVersionParameter } from './bootstrap-roles';

/**
 * CloudFormation namespace (`AWS::<Namespace>::<Type>`) → the IAM service prefixes CloudFormation needs for it.
 * Rows for services no stack uses yet (DynamoDB, ECS, EC2, Step Functions, …) are kept: what the platform adds next.
 */
export const NAMESPACE_SERVICES: Readonly<Record<string, readonly string[]>> = {
  'AWS::Backup': ['backup', 'backup-storage'],
  'AWS::CertificateManager': ['acm'],
  // Only when alarms.slack is configured (AWS Chatbot).
  'AWS::Chatbot': ['chatbot'],
  'AWS::CloudFront': ['cloudfront'],
  'AWS::CloudWatch': ['cloudwatch'],
  'AWS::DynamoDB': ['dynamodb', 'application-autoscaling'],
  'AWS::EC2': ['ec2'],
  'AWS::ECR': ['ecr'],
  'AWS::ECS': ['ecs', 'application-autoscaling'],
  'AWS::Events': ['events'],
  'AWS::IAM': ['iam'],
  'AWS::KMS': ['kms'],
  'AWS::Lambda': ['lambda'],
  // Vended logs (CloudFront logging v2, WAF) are created through the Logs delivery API.
  'AWS::Logs': ['logs'],
  'AWS::Route53': ['route53'],
  'AWS::S3': ['s3'],
  'AWS::Scheduler': ['scheduler'],
  'AWS::SecretsManager': ['secretsmanager'],
  'AWS::SNS': ['sns'],
  'AWS::SQS': ['sqs'],
  'AWS::SSM': ['ssm'],
  'AWS::StepFunctions': ['states'],
  'AWS::WAFv2': ['wafv2'],
  // CDK's own metadata resource calls no service.
  'AWS::CDK': [],
  // Custom resources: CloudFormation invokes their provider Lambda.
  'AWS::CloudFormation': ['lambda'],
};

/** The service prefixes a resource type needs, or undefined when the table has no row for it (the test says so). */
export function servicesFor(resourceType: string): readonly string[] | undefined {
  if (resourceType.startsWith('Custom::')) return NAMESPACE_SERVICES['AWS::CloudFormation'];
  const namespace = resourceType.split('::').slice(0, 2).join('::');
  return NAMESPACE_SERVICES[namespace];
}

/** Each environment's own name, so the bootstrap command and the CiAccess stack agree on it. */
export function executionPolicyName(envName: EnvironmentName): string {
  return `miko-${envName}-cfn-execution`;
}

/** What IAM may do on this environment's roles and managed policies: what CloudFormation needs to manage them. */
const ROLE_ACTIONS = [
  'iam:CreateRole',
  'iam:DeleteRole',
  'iam:GetRole',
  'iam:UpdateRole',
  'iam:UpdateRoleDescription',
  'iam:UpdateAssumeRolePolicy',
  'iam:TagRole',
  'iam:UntagRole',
  'iam:ListRoleTags',
  'iam:PassRole',
  'iam:PutRolePolicy',
  'iam:GetRolePolicy',
  'iam:DeleteRolePolicy',
  'iam:ListRolePolicies',
  'iam:AttachRolePolicy',
  'iam:DetachRolePolicy',
  'iam:ListAttachedRolePolicies',
];
const POLICY_ACTIONS = [
  'iam:CreatePolicy',
  'iam:DeletePolicy',
  'iam:GetPolicy',
  'iam:TagPolicy',
  'iam:UntagPolicy',
  'iam:CreatePolicyVersion',
  'iam:DeletePolicyVersion',
  'iam:GetPolicyVersion',
  'iam:ListPolicyVersions',
  'iam:ListEntitiesForPolicy',
];
/**
 * Calls our types' handlers make into services whose resources the stacks do not own, as CloudFormation's resource
 * schemas list them (tools/permissions/cfn-handler-permissions.json): each granted alone, never the whole service.
 */
export const CROSS_SERVICE_HANDLER_ACTIONS: Readonly<Record<string, string>> = {
  'autoscaling:DescribeTags': 'AWS::EC2::FlowLog create',
  'firehose:ListDeliveryStreams': 'AWS::WAFv2::LoggingConfiguration create and update',
  'firehose:TagDeliveryStream': 'AWS::Logs::LogGroup create and update',
};
/** AWS's own policies that would make a role of ours an administrator; never attachable through a deploy. */
export const NEVER_ATTACHED = ['AdministratorAccess', 'PowerUserAccess', 'IAMFullAccess'];

export interface PolicyStatementJson {
  readonly Sid: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string[];
  readonly Resource: string[];
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

/** `namespaceServices` is NAMESPACE_SERVICES; the bootstrap test passes a copy with a row dropped to see it fail. */
export function executionPolicyStatements(
  envName: EnvironmentName,
  account: string,
  region: string,
  namespaceServices: Readonly<Record<string, readonly string[]>> = NAMESPACE_SERVICES,
): PolicyStatementJson[] {
  const stage = STAGE_IDS[envName];
  const services = [...new Set(Object.values(namespaceServices).flat())].filter((s) => s !== 'iam').sort();
  return [
    { Sid: 'ServicesTheseStacksUse', Effect: 'Allow', Action: services.map((s) => `${s}:*`), Resource: ['*'] },
    {
      Sid: 'HandlerCallsToOtherServices',
      Effect: 'Allow',
      Action: Object.keys(CROSS_SERVICE_HANDLER_ACTIONS),
      Resource: ['*'],
    },
    {
      Sid: 'ThisEnvironmentsRoles',
      Effect: 'Allow',
      Action: ROLE_ACTIONS,
      Resource: [`arn:aws:iam::${account}:role/${stage}-*`],
    },
    {
      Sid: 'ThisEnvironmentsPolicies',
      Effect: 'Allow',
      Action: POLICY_ACTIONS,
      Resource: [`arn:aws:iam::${account}:policy/${stage}-*`],
    },
    // CloudFront, Lambda and others create their service-linked role the first time they are used in an account.
    {
      Sid: 'ServiceLinkedRoles',
      Effect: 'Allow',
      Action: ['iam:CreateServiceLinkedRole'],
      Resource: [`arn:aws:iam::${account}:role/aws-service-role/*`],
    },
    // Every template's BootstrapVersion parameter resolves this SSM parameter.
    {
      Sid: 'ReadBootstrapVersion',
      Effect: 'Allow',
      Action: ['ssm:GetParameter', 'ssm:GetParameters'],
      Resource: [`arn:aws:ssm:${region}:${account}:parameter${bootstrapVersionParameter()}`],
    },
    {
      Sid: 'NeverAttachAdministratorPolicies',
      Effect: 'Deny',
      Action: ['iam:AttachRolePolicy', 'iam:PutRolePermissionsBoundary'],
      Resource: ['*'],
      Condition: { ArnEquals: { 'iam:PolicyARN': NEVER_ATTACHED.map((name) => `arn:aws:iam::aws:policy/${name}`) } },
    },
  ];
}

/** The exact command a person runs once per account (after the CiAccess stack exists, see docs/readme/delivery.md). */
export function bootstrapCommand(envName: EnvironmentName, account: string, region: string): string {
  const policyArn = `arn:aws:iam::${account}:policy/${executionPolicyName(envName)}`;
  return `npx cdk bootstrap aws://${account}/${region} --cloudformation-execution-policies ${policyArn} --no-notices`;
}
