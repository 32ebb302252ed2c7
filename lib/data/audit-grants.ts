/**
 * What a writer of the audit trail needs, and nothing more: list and read the environment's records (to chain to
 * the newest), put new ones, and the platform key for SSE-KMS (through S3 only). No delete, no version or
 * retention call: Object Lock would refuse them anyway, and a writer has no business trying.
 */
import { Stack, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';

export function grantAuditAppend(role: iam.IRole, bucket: s3.IBucket, key: kms.IKey, envName: string): void {
  const prefix = `audit/${envName}/`;
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['s3:ListBucket'],
      resources: [bucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } },
    }),
  );
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['s3:GetObject', 's3:PutObject'],
      resources: [bucket.arnForObjects(`${prefix}*`)],
    }),
  );
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: [key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `s3.${Stack.of(role).region}.amazonaws.com` } },
    }),
  );
  // How nag renders the partition: a literal with the partition-literals flag (cdk.json), a pseudo parameter without.
  const stack = Stack.of(role);
  const partition = Token.isUnresolved(stack.partition) ? '<AWS::Partition>' : stack.partition;
  const policy = role.node.tryFindChild('DefaultPolicy');
  if (policy)
    Validations.of(policy).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:${partition}:s3:::${bucket.bucketName}/${prefix}*]`,
      reason:
        'Audit records are named by time and hash as they are written; the writer reads and appends under its environment’s prefix only.',
    });
}
