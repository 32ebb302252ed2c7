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
import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { lockedBucket } from './locked-bucket';

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
    this.bucket = lockedBucket(this, 'Bucket', {
      bucketName: auditBucketName(props.envName, props.account),
      key: props.key,
      retentionDays: props.retentionDays,
      logBucket: props.logBucket,
      logPrefix: 's3-audit/',
      removalPolicy: props.removalPolicy,
      noReplicationReason:
        'The trail is locked in compliance mode in the account that it audits; a replica would double its cost without making a locked record any harder to change.',
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
  }
}
