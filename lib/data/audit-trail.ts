/**
 * The audit trail's bucket, in the Data stack: every change of what patients get (deploys, canary weights, aborts,
 * rollbacks, flag flips) as one JSON record (lambda/shared/audit-log.ts).
 *
 * Why S3 Object Lock in COMPLIANCE mode rather than a DynamoDB table with a deny policy: a deny in a resource policy
 * is only as strong as whoever may change that policy, and CloudFormation's execution role may change any policy
 * of the stacks it deploys. A compliance-mode lock binds everyone, the account root included, until the retention
 * ends; it cannot be shortened or lifted. The bucket policy adds that a write must be conditional
 * (If-None-Match), so a record is written once, and the records' hash chain shows any gap when the trail is read.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Fixed name (environment + account), so the Site stack and the abort function name it without an export. */
export function auditBucketName(envName: string, account: string): string {
  return `miko-${envName}-audit-${account}`;
}

export interface AuditTrailProps {
  readonly envName: string;
  readonly account: string;
  readonly key: kms.IKey;
  /** How long each record is locked (and kept). */
  readonly retentionDays: number;
  readonly logBucket: s3.IBucket;
  readonly removalPolicy: RemovalPolicy;
}

export class AuditTrail extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: AuditTrailProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: auditBucketName(props.envName, props.account),
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
      serverAccessLogsPrefix: 's3-audit/',
      removalPolicy: props.removalPolicy,
      lifecycleRules: [{ id: 'ExpireAfterRetention', expiration: Duration.days(props.retentionDays + 1) }],
    });
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'WriteEachRecordOnce',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects('*')],
        conditions: { Null: { 's3:if-none-match': 'true' } },
      }),
    );
    const replication =
      'The trail is locked in compliance mode in the account that it audits; a replica would double its cost without making a locked record any harder to change.';
    Validations.of(this.bucket).acknowledge(
      { id: 'HIPAA.Security::HIPAA.Security-S3BucketReplicationEnabled', reason: replication },
      { id: 'NIST.800.53.R5::NIST.800.53.R5-S3BucketReplicationEnabled', reason: replication },
    );
  }
}
