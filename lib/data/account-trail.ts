/**
 * The environment's own CloudTrail trail when `audit.cloudTrail` asks for it: management events of every region,
 * log-file validation, the platform key, and a bucket locked in compliance mode so not even the root can rewrite a
 * log file before its retention ends. Bucket and key policies are the ones AWS documents for CloudTrail, each
 * narrowed to this trail by `aws:SourceArn`.
 */
import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { createLockedBucket, recordsLockedFor } from '../shared/locked-bucket';

const CLOUDTRAIL = 'cloudtrail.amazonaws.com';

/** Fixed names, so the policies can name the trail before it exists (CloudTrail checks them when it is created). */
export const trailName = (envName: string): string => `miko-${envName}-trail`;
export const trailBucketName = (envName: string, account: string): string => `miko-${envName}-cloudtrail-${account}`;

export interface AccountTrailProps {
  readonly envName: string;
  readonly account: string;
  /** The platform key: encrypts the log files; its policy gains CloudTrail's statements. */
  readonly key: kms.Key;
  /** How long each log file is locked (and kept): the audit trail's retention. */
  readonly retentionDays: number;
  readonly logBucket: s3.IBucket;
  readonly removalPolicy: RemovalPolicy;
}

export class AccountTrail extends Construct {
  readonly bucket: s3.Bucket;
  readonly trail: cloudtrail.CfnTrail;

  constructor(scope: Construct, id: string, props: AccountTrailProps) {
    super(scope, id);
    const { account, region } = Stack.of(this);
    const trailArn = `arn:aws:cloudtrail:${region}:${account}:trail/${trailName(props.envName)}`;
    this.bucket = createLockedBucket(this, 'Bucket', {
      bucketName: trailBucketName(props.envName, props.account),
      key: props.key,
      ...recordsLockedFor(props.retentionDays),
      logBucket: props.logBucket,
      logPrefix: 's3-cloudtrail/',
      removalPolicy: props.removalPolicy,
      whyNoReplica:
        'The log files are locked in compliance mode in the account they describe; a replica would double their cost without making a locked file harder to change.',
    });
    this.allowDelivery(trailArn);
    this.allowEncryption(props.key, trailArn);
    this.trail = new cloudtrail.CfnTrail(this, 'Trail', {
      trailName: trailName(props.envName),
      s3BucketName: this.bucket.bucketName,
      kmsKeyId: props.key.keyArn,
      enableLogFileValidation: true,
      isLogging: true,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
    });
    // CloudTrail refuses to create a trail whose bucket policy does not yet let it write.
    this.trail.node.addDependency(this.bucket.policy!);
    Validations.of(this.trail).acknowledge(
      ...['HIPAA.Security', 'NIST.800.53.R5'].map((pack) => ({
        id: `${pack}::${pack}-CloudTrailCloudWatchLogsEnabled`,
        reason:
          'Delivered to a locked S3 bucket, which is the record; the key-tamper alert already reads CloudTrail through EventBridge, and a log group would add ingestion cost for no extra alarm.',
      })),
    );
  }

  /** The bucket policy CloudTrail requires: read the ACL, write under AWSLogs/<account>/, for this trail only. */
  private allowDelivery(trailArn: string): void {
    const principals = [new iam.ServicePrincipal(CLOUDTRAIL)];
    const thisTrail = { 'aws:SourceArn': trailArn };
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudTrailChecksTheBucketAcl',
        principals,
        actions: ['s3:GetBucketAcl'],
        resources: [this.bucket.bucketArn],
        conditions: { StringEquals: thisTrail },
      }),
    );
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudTrailWritesLogFiles',
        principals,
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects(`AWSLogs/${Stack.of(this).account}/*`)],
        conditions: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', ...thisTrail } },
      }),
    );
  }

  /** The key policy statements AWS documents: encrypt for this trail, describe, and decrypt for the account. */
  private allowEncryption(key: kms.Key, trailArn: string): void {
    const { account } = Stack.of(this);
    const anyTrailOfThisAccount = `arn:aws:cloudtrail:*:${account}:trail/*`;
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudTrailEncryptsLogFiles',
        principals: [new iam.ServicePrincipal(CLOUDTRAIL)],
        actions: ['kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceArn': trailArn },
          StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': anyTrailOfThisAccount },
        },
      }),
    );
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudTrailDescribesTheKey',
        principals: [new iam.ServicePrincipal(CLOUDTRAIL)],
        actions: ['kms:DescribeKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceArn': trailArn } },
      }),
    );
    // Reading a log file is S3 decrypting it for someone of this account whose own IAM policy allows it.
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'ThisAccountDecryptsTrailLogFiles',
        principals: [new iam.AccountRootPrincipal()],
        actions: ['kms:Decrypt', 'kms:ReEncryptFrom'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'kms:CallerAccount': account },
          StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': anyTrailOfThisAccount },
        },
      }),
    );
  }
}
