/**
 * The stateful stack: what would hurt to lose. The customer-managed key now; the secrets and the release and log
 * buckets as their issues land. Termination protection and RETAIN in production; nothing here depends on the
 * stateless stacks, so they can be redeployed (or destroyed) freely.
 */
import { RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import { SiteStorage } from '../site/storage';

export interface DataStackProps extends StackProps {
  readonly config: EnvironmentConfig;
}

export class DataStack extends Stack {
  /** Encrypts the secrets, the alarm topics and the logs of this environment. */
  readonly key: kms.Key;
  /** The site's releases (`assets/`, `releases/<id>/`); its single bucket policy is written by the Site stack. */
  readonly siteBucket: s3.Bucket;
  /** S3 access logs of the site bucket and the distribution's CloudFront logs. */
  readonly logBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, { ...props, terminationProtection: props.config.protectStatefulResources });
    const removalPolicy = props.config.protectStatefulResources ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.key = new kms.Key(this, 'PlatformKey', {
      alias: `alias/miko-${props.config.envName}-platform`,
      description: `MiKO ${props.config.envName}: secrets, alarm topics and logs`,
      enableKeyRotation: true,
      // A deleted key makes everything it encrypted unreadable; CDK's default 30-day deletion window is the
      // longest AWS allows to notice and cancel.
      removalPolicy,
    });
    // CloudWatch Logs encrypts this environment's log groups with the key, scoped to log groups of this account.
    this.key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CloudWatchLogsEncryptsThisAccountsLogGroups',
      principals: [new iam.ServicePrincipal(`logs.${this.region}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:${this.region}:${this.account}:log-group:*` } },
    }));

    const siteStorage = new SiteStorage(this, 'SiteStorage', { envName: props.config.envName, account: props.config.account, removalPolicy });
    this.siteBucket = siteStorage.siteBucket;
    this.logBucket = siteStorage.logBucket;
  }
}
