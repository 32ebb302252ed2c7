/**
 * What each CI role does for its workflow (ci-access-stack.ts) and what CloudFormation's execution role does in a
 * deploy; the rollback role is proven to do nothing else, and no CI role can delete or overwrite an audit record.
 * The OIDC trust policies are proven in test/delivery/ci-access.test.ts: the IAM engine ignores token claims.
 */
import { auditAppendPaths, auditRecord, auditTamperPaths } from '../data/audit-grants.paths';
import { CANARY_CHECK_NAMESPACE } from '../monitoring/canary-check-metric';
import { PathCatalogue, PrincipalSpec, resource, role, RuntimePath, secret } from '../shared/runtime-paths';
import { CROSS_SERVICE_HANDLER_ACTIONS } from './execution-policy';

const diff = role('CiAccess', 'DiffRole');
const deploy = role('CiAccess', 'DeployRole');
const rollback = role('CiAccess', 'RollbackRole');
/** A person's own role with miko-<env>-audit-append attached (restore, rotate, restore-release from a laptop). */
const person = { person: resource('CiAccess', 'AuditAppendPolicy') } as const;
const cloudFormation = { role: 'cloudformation-execution' } as const;
const thisEnvironmentsStacks =
  'environment stacks are named <Stage>-<part> and get a new id when re-created; read-only.';
const siteBucket = 'arn:aws:s3:::miko-{env}-site-{account}';
const platformKeyLater =
  "The platform key is created by the Data stack after this one, so the key grant names the account's keys (key/*), usable only through S3.";

/** What verify reads and a rollback does: the deploy workflow (its automatic rollback) and rollback.yml alike. */
function verifyAndRollbackPaths(workflow: string, principal: PrincipalSpec): RuntimePath[] {
  return [
    {
      id: `${workflow}-verify-reads-alarms`,
      what: "verify reads the environment's alarms",
      principal,
      actions: ['cloudwatch:DescribeAlarms'],
      resource: 'arn:aws:cloudwatch:{region}:{account}:alarm:miko-{env}-critical-undelivered-alerts',
      wildcardReason: 'verify lists the alarms by name prefix; DescribeAlarms only reads alarm state.',
    },
    {
      id: `${workflow}-rollback-reads-site-outputs`,
      what: "rollback reads the Site stack's outputs",
      principal,
      actions: ['cloudformation:DescribeStacks'],
      resource: 'arn:aws:cloudformation:{region}:{account}:stack/{Stage}-Site/0123',
      wildcardReason: thisEnvironmentsStacks,
    },
    {
      id: `${workflow}-rollback-lists-releases`,
      what: 'rollback lists the kept releases',
      principal,
      actions: ['s3:ListBucket'],
      resource: siteBucket,
    },
    {
      id: `${workflow}-rollback-checks-release`,
      what: "rollback checks the chosen release's index.html exists",
      principal,
      actions: ['s3:GetObject'],
      resource: `${siteBucket}/releases/r1/index.html`,
      wildcardReason: 'any kept release may be the rollback target; read-only, releases/ of this environment.',
    },
    {
      id: `${workflow}-rollback-moves-pointer`,
      what: 'rollback moves the live-release pointer',
      principal,
      actions: [
        'cloudfront-keyvaluestore:DescribeKeyValueStore',
        'cloudfront-keyvaluestore:GetKey',
        'cloudfront-keyvaluestore:UpdateKeys',
      ],
      resource: resource('Site', 'RoutingReleasePointer'),
      wildcardReason:
        'the key-value store is created by the Site stack after this one; each environment is its own account.',
    },
    ...auditAppendPaths(`${workflow}-role`, principal, { extraWildcardReason: platformKeyLater }),
  ];
}

export const catalogue: PathCatalogue = {
  paths: [
    {
      id: 'pr-reads-deployed-template',
      what: "cdk diff on a pull request reads the deployed templates of this environment's stacks",
      principal: diff,
      actions: ['cloudformation:GetTemplate', 'cloudformation:DescribeStacks'],
      resource: 'arn:aws:cloudformation:{region}:{account}:stack/{Stage}-Site/0123',
      wildcardReason: thisEnvironmentsStacks,
    },
    {
      id: 'pr-reads-bootstrap-version',
      what: "cdk diff reads the bootstrap's version",
      principal: diff,
      actions: ['ssm:GetParameter'],
      resource: 'arn:aws:ssm:{region}:{account}:parameter/cdk-bootstrap/hnb659fds/version',
    },
    ...(['deploy', 'file-publishing', 'image-publishing'] as const).map((kind) => ({
      id: `deploy-assumes-bootstrap-${kind}`,
      what: `cdk deploy assumes the bootstrap ${kind} role`,
      principal: deploy,
      actions: ['sts:AssumeRole'],
      resource: `arn:aws:iam::{account}:role/cdk-hnb659fds-${kind}-role-{account}-{region}`,
    })),
    ...verifyAndRollbackPaths('deploy', deploy),
    ...verifyAndRollbackPaths('rollback', rollback),
    {
      id: 'deploy-pushes-backup-image',
      what: "the deploy pushes the backup job's image between the Data and Backups deploys",
      principal: deploy,
      actions: [
        'ecr:BatchCheckLayerAvailability',
        'ecr:InitiateLayerUpload',
        'ecr:UploadLayerPart',
        'ecr:CompleteLayerUpload',
        'ecr:PutImage',
        'ecr:DescribeImages',
        'ecr:BatchGetImage',
      ],
      resource: resource('Data', 'BackupImagesRepository'),
    },
    {
      id: 'deploy-logs-in-to-ecr',
      what: 'the deploy logs docker in to the registry before the push',
      principal: deploy,
      actions: ['ecr:GetAuthorizationToken'],
      resource: '*',
    },
    {
      id: 'rotate-now-starts-rotation',
      what: 'the rotate-now workflow starts a rotation (it never reads a value)',
      principal: deploy,
      actions: ['secretsmanager:RotateSecret', 'secretsmanager:DescribeSecret'],
      resource: secret('prober-health-token'),
      wildcardReason:
        "this environment's secrets by their miko/<env>/ prefix (the random suffix is unknown in advance).",
    },
    // Each finished rotation is recorded (scripts/rotate.ts): the deploy role's audit grant, found through the Site outputs.
    {
      id: 'rotate-now-reads-site-outputs',
      what: "the rotate-now workflow reads the Site stack's outputs to find the audit bucket",
      principal: deploy,
      actions: ['cloudformation:DescribeStacks'],
      resource: 'arn:aws:cloudformation:{region}:{account}:stack/{Stage}-Site/0123',
      wildcardReason: thisEnvironmentsStacks,
    },
    ...auditAppendPaths('rotate-now', deploy, { extraWildcardReason: platformKeyLater }),
    {
      id: 'person-reads-site-outputs',
      what: "a person's restore, rotate or restore-release reads the Site stack's outputs to find the audit bucket",
      principal: person,
      actions: ['cloudformation:DescribeStacks'],
      resource: 'arn:aws:cloudformation:{region}:{account}:stack/{Stage}-Site/0123',
      wildcardReason: thisEnvironmentsStacks,
    },
    ...auditAppendPaths('person', person, { extraWildcardReason: platformKeyLater }),
    {
      id: 'deploy-publishes-canary-verdict',
      what: "verify --canary publishes its Chromium's verdict on the canary (the canary alarm reads it and aborts)",
      principal: deploy,
      actions: ['cloudwatch:PutMetricData'],
      resource: '*',
      context: { 'cloudwatch:namespace': CANARY_CHECK_NAMESPACE },
      wildcardReason:
        'PutMetricData names no metric as a resource (only CloudWatch datasets, which these are not); the namespace condition limits it.',
    },
    {
      id: 'cloudformation-manages-resources',
      what: "CloudFormation creates, updates and deletes the stacks' resources, the platform key's policy included",
      principal: cloudFormation,
      actions: ['kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:DisableKey'],
      resource: resource('Data', 'PlatformKey'),
      wildcardReason:
        'the execution role creates, updates and deletes resources of the services these stacks use (service:*, reviewed in lib/delivery/execution-policy.ts).',
    },
    {
      id: 'cloudformation-handlers-call-other-services',
      what: "CloudFormation's handlers of flow logs, log groups and WAF logging call Auto Scaling and Firehose",
      principal: cloudFormation,
      actions: Object.keys(CROSS_SERVICE_HANDLER_ACTIONS),
      resource: '*',
      wildcardReason:
        'the resource schemas list these handler calls with no resource; each action alone, and no stack owns a Firehose stream to scope to (test/delivery/bootstrap-handler-coverage.test.ts).',
    },
    {
      id: 'cloudformation-manages-roles',
      what: "CloudFormation creates this environment's roles and hands them to services",
      principal: cloudFormation,
      actions: ['iam:CreateRole', 'iam:PutRolePolicy', 'iam:PassRole'],
      resource: 'arn:aws:iam::{account}:role/{Stage}-Monitoring-TopicsPagerRole-ABC',
      wildcardReason: 'CloudFormation names the roles it creates <Stage>-<stack>-<id>-<suffix>: this environment only.',
    },
    {
      id: 'cloudformation-manages-policies',
      what: "CloudFormation creates this environment's managed policies",
      principal: cloudFormation,
      actions: ['iam:CreatePolicy', 'iam:CreatePolicyVersion'],
      resource: 'arn:aws:iam::{account}:policy/{Stage}-Monitoring-Permissions-ABC',
      wildcardReason:
        'CloudFormation names the policies it creates <Stage>-<stack>-<id>-<suffix>: this environment only.',
    },
    {
      id: 'cloudformation-creates-service-linked-roles',
      what: 'CloudFormation lets a service create its service-linked role the first time (ECS, Lambda@Edge)',
      principal: cloudFormation,
      actions: ['iam:CreateServiceLinkedRole'],
      resource: 'arn:aws:iam::{account}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS',
      wildcardReason: 'service-linked roles live under aws-service-role/, named by the service; only that path.',
    },
    {
      id: 'cloudformation-reads-bootstrap-version',
      what: "CloudFormation resolves every template's BootstrapVersion parameter",
      principal: cloudFormation,
      actions: ['ssm:GetParameter', 'ssm:GetParameters'],
      resource: 'arn:aws:ssm:{region}:{account}:parameter/cdk-bootstrap/hnb659fds/version',
    },
  ],
  forbidden: [
    {
      id: 'cloudformation-attaches-no-admin-policy',
      what: "CloudFormation's execution role never attaches AWS's administrator policies, even to this environment's roles",
      principal: cloudFormation,
      actions: ['iam:AttachRolePolicy'],
      resource: 'arn:aws:iam::{account}:role/{Stage}-Monitoring-TopicsPagerRole-ABC',
      context: { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AdministratorAccess' },
    },
    {
      id: 'cloudformation-widens-no-ci-role',
      what: "CloudFormation's execution role cannot change the CI roles (deployed by a person, outside the pipeline)",
      principal: cloudFormation,
      actions: ['iam:PutRolePolicy', 'iam:AttachRolePolicy', 'iam:UpdateAssumeRolePolicy'],
      resource: 'arn:aws:iam::{account}:role/miko-{env}-ci-deploy',
    },
    {
      id: 'rollback-deploys-nothing',
      what: 'the rollback role assumes no bootstrap role, so it can deploy nothing',
      principal: rollback,
      actions: ['sts:AssumeRole'],
      resource: 'arn:aws:iam::{account}:role/cdk-hnb659fds-deploy-role-{account}-{region}',
    },
    {
      id: 'rollback-changes-no-stack',
      what: 'the rollback role changes no stack',
      principal: rollback,
      actions: ['cloudformation:UpdateStack', 'cloudformation:ExecuteChangeSet', 'cloudformation:DeleteStack'],
      resource: 'arn:aws:cloudformation:{region}:{account}:stack/{Stage}-Site/0123',
    },
    {
      id: 'rollback-writes-no-release',
      what: 'the rollback role writes and deletes no file of the site',
      principal: rollback,
      actions: ['s3:PutObject', 's3:DeleteObject'],
      resource: `${siteBucket}/releases/r1/index.html`,
    },
    {
      id: 'rollback-touches-no-secret',
      what: 'the rollback role reads and rotates no secret',
      principal: rollback,
      actions: ['secretsmanager:GetSecretValue', 'secretsmanager:RotateSecret'],
      resource: { every: 'AWS::SecretsManager::Secret' },
    },
    {
      id: 'rollback-changes-no-function',
      what: 'the rollback role changes no function',
      principal: rollback,
      actions: ['lambda:UpdateFunctionCode'],
      resource: { every: 'AWS::Lambda::Function' },
    },
    {
      id: 'pr-reads-no-secret',
      what: 'the pull-request role reads no secret value',
      principal: diff,
      actions: ['secretsmanager:GetSecretValue'],
      resource: { every: 'AWS::SecretsManager::Secret' },
    },
    {
      id: 'pr-reads-no-object',
      what: 'the pull-request role reads no object of any bucket (site, logs, backups)',
      principal: diff,
      actions: ['s3:GetObject'],
      resource: { every: 'AWS::S3::Bucket', suffix: '/backups/{env}/x' },
    },
    {
      id: 'pr-reads-no-log',
      what: 'the pull-request role reads no log',
      principal: diff,
      actions: ['logs:StartQuery', 'logs:FilterLogEvents'],
      resource: { every: 'AWS::Logs::LogGroup' },
    },
    {
      id: 'pr-reads-no-log-stream',
      what: 'the pull-request role reads no log stream',
      principal: diff,
      actions: ['logs:GetLogEvents'],
      resource: { every: 'AWS::Logs::LogGroup', suffix: ':log-stream:x' },
    },
    {
      id: 'pr-writes-no-stack',
      what: 'the pull-request role changes no stack',
      principal: diff,
      actions: [
        'cloudformation:CreateChangeSet',
        'cloudformation:ExecuteChangeSet',
        'cloudformation:UpdateStack',
        'cloudformation:DeleteStack',
      ],
      resource: 'arn:aws:cloudformation:{region}:{account}:stack/{Stage}-Site/0123',
    },
    {
      id: 'pr-assumes-no-bootstrap-role',
      what: 'the pull-request role assumes no bootstrap role (so it can deploy nothing)',
      principal: diff,
      actions: ['sts:AssumeRole'],
      resource: 'arn:aws:iam::{account}:role/cdk-hnb659fds-deploy-role-{account}-{region}',
    },
    {
      id: 'pr-writes-nothing',
      what: 'the pull-request role writes no object, parameter, pointer, function or key',
      principal: diff,
      actions: ['s3:PutObject'],
      resource: { every: 'AWS::S3::Bucket', suffix: '/releases/x' },
    },
    {
      id: 'pr-moves-no-pointer',
      what: 'the pull-request role cannot move the live-release pointer',
      principal: diff,
      actions: ['cloudfront-keyvaluestore:UpdateKeys', 'cloudfront-keyvaluestore:PutKey'],
      resource: resource('Site', 'RoutingReleasePointer'),
    },
    {
      id: 'pr-changes-no-function',
      what: 'the pull-request role changes no function',
      principal: diff,
      actions: ['lambda:UpdateFunctionCode', 'lambda:UpdateFunctionConfiguration'],
      resource: { every: 'AWS::Lambda::Function' },
    },
    {
      id: 'pr-writes-no-parameter-or-key',
      what: 'the pull-request role writes no parameter and uses no key',
      principal: diff,
      actions: ['ssm:PutParameter'],
      resource: 'arn:aws:ssm:{region}:{account}:parameter/cdk-bootstrap/hnb659fds/version',
    },
    {
      id: 'pr-uses-no-key',
      what: 'the pull-request role uses no key',
      principal: diff,
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resource: resource('Data', 'PlatformKey'),
    },
    {
      id: 'pr-reads-no-audit-record',
      what: 'the pull-request role reads and writes no audit record',
      principal: diff,
      actions: ['s3:GetObject', 's3:PutObject'],
      resource: auditRecord,
    },
    {
      id: 'pr-lists-no-audit-record',
      what: 'the pull-request role cannot list the audit trail',
      principal: diff,
      actions: ['s3:ListBucket'],
      resource: 'arn:aws:s3:::miko-{env}-audit-{account}',
    },
    {
      id: 'rollback-pushes-no-image',
      what: 'the rollback role pushes no image',
      principal: rollback,
      actions: ['ecr:PutImage', 'ecr:InitiateLayerUpload'],
      resource: resource('Data', 'BackupImagesRepository'),
    },
    {
      id: 'only-ci-deploy-aborts-a-canary',
      what: "no role but the CI deploy role (verify's Chromium) can publish the canary verdict: not the collector browsers report to, not the prober, not rollback",
      // CloudFormation's execution role holds cloudwatch:* to manage alarms; only CloudFormation assumes it, and no
      // resource type it creates publishes metric data.
      principal: { everyRole: true, except: ['CiAccess/DeployRole', 'bootstrap/CloudFormationExecutionRole'] },
      actions: ['cloudwatch:PutMetricData'],
      resource: '*',
      context: { 'cloudwatch:namespace': CANARY_CHECK_NAMESPACE },
    },
    {
      id: 'deploy-publishes-no-other-metric',
      what: "the CI deploy role publishes no metric outside the canary verdict's namespace (it cannot fake the prober's)",
      principal: deploy,
      actions: ['cloudwatch:PutMetricData'],
      resource: '*',
      context: { 'cloudwatch:namespace': 'MiKO/Synthetics' },
    },
    ...auditTamperPaths('deploy-role', deploy),
    ...auditTamperPaths('rollback-role', rollback),
    ...auditTamperPaths('person', person),
    {
      id: 'person-audit-append-reads-no-secret',
      what: 'the audit-append policy lets a person read no secret',
      principal: person,
      actions: ['secretsmanager:GetSecretValue'],
      resource: { every: 'AWS::SecretsManager::Secret' },
    },
    {
      id: 'person-audit-append-reads-no-other-stack',
      what: "the audit-append policy reads only the Site stack's outputs",
      principal: person,
      actions: ['cloudformation:DescribeStacks'],
      resource: 'arn:aws:cloudformation:{region}:{account}:stack/{Stage}-Data/0123',
    },
  ],
};
