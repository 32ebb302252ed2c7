/**
 * What a writer of the audit trail needs, and nothing more: list and read the environment's records (to chain to
 * the newest), put new ones, and the platform key for SSE-KMS (through S3 only). No delete, no version or
 * retention call: Object Lock would refuse them anyway, and a writer has no business trying.
 */
import { Stack, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';

const recordPrefix = (envName: string) => `audit/${envName}/`;

/** The append's statements, for a role (grantAuditAppend) or a policy of their own (rotation functions, people). */
export function auditAppendStatements(
  bucket: s3.IBucket,
  key: kms.IKey,
  envName: string,
  region: string,
): iam.PolicyStatement[] {
  const prefix = recordPrefix(envName);
  return [
    new iam.PolicyStatement({
      actions: ['s3:ListBucket'],
      resources: [bucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } },
    }),
    new iam.PolicyStatement({
      actions: ['s3:GetObject', 's3:PutObject'],
      resources: [bucket.arnForObjects(`${prefix}*`)],
    }),
    new iam.PolicyStatement({
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: [key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` } },
    }),
  ];
}

/** The policy holding auditAppendStatements: why its record wildcard is as narrow as it can be. */
export function acknowledgeAuditRecordWildcard(policy: IConstruct, bucket: s3.IBucket, envName: string): void {
  // How nag renders the partition: a literal with the partition-literals flag (cdk.json), a pseudo parameter without.
  const stack = Stack.of(policy);
  const partition = Token.isUnresolved(stack.partition) ? '<AWS::Partition>' : stack.partition;
  Validations.of(policy).acknowledge({
    id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:${partition}:s3:::${bucket.bucketName}/${recordPrefix(envName)}*]`,
    reason:
      'Audit records are named by time and hash as they are written; the writer reads and appends under its environment’s prefix only.',
  });
}

export function grantAuditAppend(role: iam.IRole, bucket: s3.IBucket, key: kms.IKey, envName: string): void {
  for (const statement of auditAppendStatements(bucket, key, envName, Stack.of(role).region))
    role.addToPrincipalPolicy(statement);
  const policy = role.node.tryFindChild('DefaultPolicy');
  if (policy) acknowledgeAuditRecordWildcard(policy, bucket, envName);
}
