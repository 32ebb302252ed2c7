/**
 * The platform key's policy, least privilege: the account may administer the key but not use it directly; people
 * and functions of the account use it only through Secrets Manager, SNS, SQS and S3 (and only where their own IAM
 * policy allows it too); CloudWatch Logs encrypts this account's log groups with it; CloudWatch alarms and EventBridge
 * publish to the alarm topics it encrypts.
 */
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';

/** Administration without use: no Encrypt/Decrypt/GenerateDataKey and no CreateGrant (a grant could confer use). */
export const KEY_ADMINISTRATION_ACTIONS = [
  'kms:CreateAlias',
  'kms:DeleteAlias',
  'kms:UpdateAlias',
  'kms:DescribeKey',
  'kms:EnableKey',
  'kms:DisableKey',
  'kms:EnableKeyRotation',
  'kms:DisableKeyRotation',
  'kms:RotateKeyOnDemand',
  'kms:GetKeyPolicy',
  'kms:PutKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:ListAliases',
  'kms:ListGrants',
  'kms:ListKeyPolicies',
  'kms:ListKeyRotations',
  'kms:ListResourceTags',
  'kms:RevokeGrant',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:UpdateKeyDescription',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
];

/** What a service needs to store and read values encrypted under the key on a caller's behalf. */
const USE_THROUGH_SERVICE_ACTIONS = [
  'kms:Encrypt',
  'kms:Decrypt',
  'kms:ReEncrypt*',
  'kms:GenerateDataKey*',
  'kms:DescribeKey',
];

/**
 * The services through which principals of the account may use the key (sqs: a function writing to the encrypted
 * undelivered-alerts queue; s3: the backup vault's SSE-KMS).
 */
const SERVICES_USING_THE_KEY = ['secretsmanager', 'sns', 'sqs', 's3'];

export function platformKeyPolicy(stack: Stack): iam.PolicyDocument {
  const { account, region } = stack;
  const root = new iam.AccountRootPrincipal();
  return new iam.PolicyDocument({
    statements: [
      new iam.PolicyStatement({
        sid: 'AdministerTheKey',
        principals: [root],
        actions: KEY_ADMINISTRATION_ACTIONS,
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'UseThroughSecretsManagerSnsSqsAndS3',
        principals: [root],
        actions: USE_THROUGH_SERVICE_ACTIONS,
        resources: ['*'],
        conditions: {
          StringEquals: {
            'kms:ViaService': SERVICES_USING_THE_KEY.map((service) => `${service}.${region}.amazonaws.com`),
            'kms:CallerAccount': account,
          },
        },
      }),
      new iam.PolicyStatement({
        sid: 'EncryptThisAccountsLogGroups',
        principals: [new iam.ServicePrincipal(`logs.${region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:${region}:${account}:log-group:*` },
        },
      }),
      // Alarms and EventBridge rules publish to the alarm topics this key encrypts; without this a publish fails
      // silently and nobody is told. Only this account's alarms and rules (confused-deputy guard).
      new iam.PolicyStatement({
        sid: 'PublishToEncryptedAlarmTopicsFromThisAccountsAlarms',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': account },
          ArnLike: { 'aws:SourceArn': `arn:aws:cloudwatch:${region}:${account}:alarm:*` },
        },
      }),
      new iam.PolicyStatement({
        sid: 'PublishToEncryptedAlarmTopicsFromThisAccountsRules',
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': account },
          ArnLike: { 'aws:SourceArn': `arn:aws:events:${region}:${account}:rule/*` },
        },
      }),
      // SNS writes a page it could not deliver to the alerting dead-letter queue, which this key encrypts.
      new iam.PolicyStatement({
        sid: 'SnsWritesUndeliveredAlertsToTheDeadLetterQueue',
        principals: [new iam.ServicePrincipal('sns.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': account },
          ArnLike: { 'aws:SourceArn': `arn:aws:sns:${region}:${account}:*` },
        },
      }),
    ],
  });
}
