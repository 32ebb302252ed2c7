/**
 * The audit trail's bucket (Data stack): every change of what patients get, one JSON record each.
 * S3 Object Lock in COMPLIANCE mode, not a deny policy: CloudFormation's execution role may change
 * any policy it deploys, but a compliance lock binds everyone, root included, until retention ends. Writes must be
 * conditional (If-None-Match), so a record is written once; the records' hash chain shows any gap.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { createLockedBucket, recordsLockedFor } from '../shared/locked-bucket';

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
    this.bucket = createLockedBucket(this, 'Bucket', {
      bucketName: auditBucketName(props.envName, props.account),
      key: props.key,
      ...recordsLockedFor(props.retentionDays),
      logBucket: props.logBucket,
      logPrefix: 's3-audit/',
      removalPolicy: props.removalPolicy,
      writeOnceSid: 'WriteEachRecordOnce',
      // Records are single small PUTs: no multipart step may go without the condition.
      allowMultipartSteps: false,
      whyNoReplica:
        'The trail is locked in compliance mode in the account that it audits; a replica would double its cost without making a locked record any harder to change.',
    });
  }
}
