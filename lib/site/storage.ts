/**
 * The site's stateful storage (Data stack): the release bucket (private, versioned, SSE-S3) and the log bucket for
 * its S3 access logs and CloudFront's logs. No release bucket policy here on purpose: CloudFormation allows one
 * BucketPolicy per bucket and it must name the distribution, which lives in the later Site stack
 * (release-bucket-policy.ts).
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Old object versions let a bad upload be undone by hand; a month covers any incident review of a release. */
export const NONCURRENT_VERSION_DAYS = 30;

/**
 * S3 access logs may carry request query strings (CloudFront's are written without, see `access-logs.ts`): kept long
 * enough to investigate an incident or abuse, not so long as to hoard patient traffic.
 */
export const ACCESS_LOG_RETENTION_DAYS = 90;

/**
 * The release bucket's name is fixed (environment + account), so the Site stack refers to it by name: no
 * cross-stack export to pin, and IAM resources that read the same in every synth.
 */
export function siteBucketName(envName: string, account: string): string {
  return `miko-${envName}-site-${account}`;
}

export interface SiteStorageProps {
  readonly envName: string;
  readonly account: string;
  /** RETAIN in production: a deleted stack must not take the releases and logs with it. */
  readonly removalPolicy: RemovalPolicy;
}

const REPLICATION_REASON =
  'Every object in this bucket is reproducible (releases are rebuilt from git and app-dist; logs are diagnostic); cross-region replication would double cost without a recovery it enables.';
const SSE_S3_LOGS_REASON =
  'S3 server access logging can only deliver to SSE-S3 buckets (SSE-KMS targets are not supported), so this bucket uses SSE-S3.';

export class SiteStorage extends Construct {
  /** Holds `assets/` (shared, immutable, hashed) and `releases/<id>/` (HTML, public files, config.json, version.json). */
  readonly siteBucket: s3.Bucket;
  /** Receives S3 access logs (`s3/`) and CloudFront logs (`cloudfront/`). */
  readonly logBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: SiteStorageProps) {
    super(scope, id);
    // S3 access logs are allowed in by a bucket policy (not the legacy LogDeliveryWrite ACL, which needs ACLs on),
    // whether or not the app's cdk.json carries the flag (tests synthesize without it).
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
    this.logBucket = this.createLogBucket(props);
    this.siteBucket = this.createSiteBucket(props);
  }

  private createLogBucket(props: SiteStorageProps): s3.Bucket {
    const bucket = new s3.Bucket(this, 'LogBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: props.removalPolicy,
      lifecycleRules: [
        {
          id: 'ExpireAccessLogs',
          expiration: Duration.days(ACCESS_LOG_RETENTION_DAYS),
          noncurrentVersionExpiration: Duration.days(1),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });
    // CloudFront standard logging (v2) delivers through CloudWatch Logs' delivery service, for this account only.
    bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudFrontLogDeliveryWritesThisAccountsLogs',
        principals: [new iam.ServicePrincipal('delivery.logs.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [bucket.arnForObjects('cloudfront/*')],
        conditions: {
          StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceAccount': bucket.stack.account },
          ArnLike: {
            'aws:SourceArn': `arn:${bucket.stack.partition}:logs:${bucket.stack.region}:${bucket.stack.account}:delivery-source:*`,
          },
        },
      }),
    );
    Validations.of(bucket).acknowledge(
      {
        id: 'AwsSolutions::AwsSolutions-S1',
        reason: 'This is the access-log bucket itself; logging it into itself would loop.',
      },
      {
        id: 'HIPAA.Security::HIPAA.Security-S3BucketLoggingEnabled',
        reason: 'This is the access-log bucket itself; logging it into itself would loop.',
      },
      {
        id: 'NIST.800.53.R5::NIST.800.53.R5-S3BucketLoggingEnabled',
        reason: 'This is the access-log bucket itself; logging it into itself would loop.',
      },
      { id: 'HIPAA.Security::HIPAA.Security-S3BucketReplicationEnabled', reason: REPLICATION_REASON },
      { id: 'NIST.800.53.R5::NIST.800.53.R5-S3BucketReplicationEnabled', reason: REPLICATION_REASON },
      { id: 'HIPAA.Security::HIPAA.Security-S3DefaultEncryptionKMS', reason: SSE_S3_LOGS_REASON },
      { id: 'NIST.800.53.R5::NIST.800.53.R5-S3DefaultEncryptionKMS', reason: SSE_S3_LOGS_REASON },
    );
    return bucket;
  }

  private createSiteBucket(props: SiteStorageProps): s3.Bucket {
    const bucket = new s3.Bucket(this, 'SiteBucket', {
      bucketName: siteBucketName(props.envName, props.account),
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      // SSE-S3: the files are the public SPA; SSE-KMS would need the key policy to name the distribution, which
      // lives in a later stack (a cycle), for no confidentiality gain on files every browser downloads.
      encryption: s3.BucketEncryption.S3_MANAGED,
      // The TLS-only deny is written by the Site stack in the bucket's single policy (see the class comment).
      enforceSSL: false,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: props.removalPolicy,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 's3/',
      lifecycleRules: [
        {
          id: 'ExpireReplacedVersions',
          noncurrentVersionExpiration: Duration.days(NONCURRENT_VERSION_DAYS),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });
    const tlsOnlyReason =
      "The bucket's single policy, written in the Site stack (it must name the distribution), denies every request without aws:SecureTransport; CloudFormation allows only one policy per bucket.";
    Validations.of(bucket).acknowledge(
      { id: 'AwsSolutions::AwsSolutions-S10', reason: tlsOnlyReason },
      { id: 'HIPAA.Security::HIPAA.Security-S3BucketSSLRequestsOnly', reason: tlsOnlyReason },
      { id: 'NIST.800.53.R5::NIST.800.53.R5-S3BucketSSLRequestsOnly', reason: tlsOnlyReason },
      { id: 'HIPAA.Security::HIPAA.Security-S3BucketReplicationEnabled', reason: REPLICATION_REASON },
      { id: 'NIST.800.53.R5::NIST.800.53.R5-S3BucketReplicationEnabled', reason: REPLICATION_REASON },
      {
        id: 'HIPAA.Security::HIPAA.Security-S3DefaultEncryptionKMS',
        reason:
          'Public SPA files; SSE-KMS would need the key policy to name the distribution of a later stack (a cycle) and protects nothing every browser does not download anyway.',
      },
      {
        id: 'NIST.800.53.R5::NIST.800.53.R5-S3DefaultEncryptionKMS',
        reason:
          'Public SPA files; SSE-KMS would need the key policy to name the distribution of a later stack (a cycle) and protects nothing every browser does not download anyway.',
      },
    );
    return bucket;
  }
}
