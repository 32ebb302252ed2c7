/**
 * A bucket of records nobody may rewrite (the audit trail's, the CloudTrail trail's): versioned, encrypted with the
 * platform key, private, every object locked in COMPLIANCE mode for the retention and expired the day after.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface LockedBucketProps {
  readonly bucketName: string;
  readonly key: kms.IKey;
  readonly retentionDays: number;
  readonly logBucket: s3.IBucket;
  readonly logPrefix: string;
  readonly removalPolicy: RemovalPolicy;
  /** Why the records are not replicated to another region (the HIPAA and NIST packs ask). */
  readonly noReplicationReason: string;
}

export function lockedBucket(scope: Construct, id: string, props: LockedBucketProps): s3.Bucket {
  const bucket = new s3.Bucket(scope, id, {
    bucketName: props.bucketName,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: props.key,
    bucketKeyEnabled: true,
    enforceSSL: true,
    versioned: true,
    objectLockEnabled: true,
    objectLockDefaultRetention: s3.ObjectLockRetention.compliance(Duration.days(props.retentionDays)),
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    serverAccessLogsBucket: props.logBucket,
    serverAccessLogsPrefix: props.logPrefix,
    removalPolicy: props.removalPolicy,
    lifecycleRules: [{ id: 'ExpireAfterRetention', expiration: Duration.days(props.retentionDays + 1) }],
  });
  Validations.of(bucket).acknowledge(
    { id: 'HIPAA.Security::HIPAA.Security-S3BucketReplicationEnabled', reason: props.noReplicationReason },
    { id: 'NIST.800.53.R5::NIST.800.53.R5-S3BucketReplicationEnabled', reason: props.noReplicationReason },
  );
  return bucket;
}
