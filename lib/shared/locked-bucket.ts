/**
 * A bucket whose objects nobody can change: Object Lock (with versioning, which it requires), SSE-KMS under the
 * platform key with an S3 Bucket Key (one KMS call per object instead of per part), Block Public Access, TLS only,
 * access logs, and a policy that refuses any write able to replace an object. The audit trail and the backup vault.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface LockedBucketProps {
  readonly bucketName: string;
  readonly key: kms.IKey;
  readonly retention: s3.ObjectLockRetention;
  /** Receives the bucket's S3 access logs (the site's log bucket), under `logPrefix`. */
  readonly logBucket: s3.IBucket;
  readonly logPrefix: string;
  readonly removalPolicy: RemovalPolicy;
  readonly lifecycleRules: s3.LifecycleRule[];
  /**
   * The Sid of the statement that denies unconditional writes; omitted only for a writer that cannot send
   * If-None-Match (CloudTrail), where Object Lock alone keeps every version.
   */
  readonly writeOnceSid?: string;
  /**
   * Whether the multipart steps that carry no condition header stay allowed (s3:ObjectCreationOperation is false
   * for them): needed by a bucket written in multipart uploads.
   */
  readonly allowMultipartSteps?: boolean;
  /** Why the bucket has no replica (cdk-nag's HIPAA and NIST replication rules). */
  readonly whyNoReplica: string;
}

/** Records no one may change for `days` (compliance mode binds root too), expired the day after their lock ends. */
export function recordsLockedFor(days: number): Pick<LockedBucketProps, 'retention' | 'lifecycleRules'> {
  return {
    retention: s3.ObjectLockRetention.compliance(Duration.days(days)),
    lifecycleRules: [{ id: 'ExpireAfterRetention', expiration: Duration.days(days + 1) }],
  };
}

/** Object Lock keeps an old version, but a plain PUT still makes a new one current: every write must be conditional. */
export function createLockedBucket(scope: Construct, id: string, props: LockedBucketProps): s3.Bucket {
  const bucket = new s3.Bucket(scope, id, {
    bucketName: props.bucketName,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: props.key,
    bucketKeyEnabled: true,
    enforceSSL: true,
    versioned: true,
    objectLockEnabled: true,
    objectLockDefaultRetention: props.retention,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    serverAccessLogsBucket: props.logBucket,
    serverAccessLogsPrefix: props.logPrefix,
    removalPolicy: props.removalPolicy,
    lifecycleRules: props.lifecycleRules,
  });
  if (props.writeOnceSid)
    bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: props.writeOnceSid,
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:PutObject'],
        resources: [bucket.arnForObjects('*')],
        conditions: {
          Null: { 's3:if-none-match': 'true' },
          ...(props.allowMultipartSteps ? { Bool: { 's3:ObjectCreationOperation': 'true' } } : {}),
        },
      }),
    );
  Validations.of(bucket).acknowledge(
    { id: 'HIPAA.Security::HIPAA.Security-S3BucketReplicationEnabled', reason: props.whyNoReplica },
    { id: 'NIST.800.53.R5::NIST.800.53.R5-S3BucketReplicationEnabled', reason: props.whyNoReplica },
  );
  return bucket;
}
