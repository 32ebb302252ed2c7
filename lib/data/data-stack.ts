/**
 * The stateful stack: what would hurt to lose. The customer-managed key now; the secrets and the release and log
 * buckets as their issues land. Termination protection and RETAIN in production; nothing here depends on the
 * stateless stacks, so they can be redeployed (or destroyed) freely.
 */
import { RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { AccountTrail } from './account-trail';
import { AuditTrail, auditBucketName } from './audit-trail';
import type { EnvironmentConfig } from '../config';
import { platformKeyPolicy } from '../secrets/key-policy';
import { BackupImageRepository } from '../backups/image-repository';
import { BackupVault } from '../backups/vault-bucket';
import { PlatformSecrets } from '../secrets/platform-secrets';
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
  /** Every credential's secret, with its rotation function; RotationAlerts (in Monitoring) watches them. */
  readonly secrets: PlatformSecrets;
  /** The Object-Lock bucket the nightly database backups land in (lib/backups). */
  readonly backupVault: s3.Bucket;
  /** Every change of what patients get, locked in compliance mode (audit-trail.ts). */
  readonly auditBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, { ...props, terminationProtection: props.config.protectStatefulResources });
    const removalPolicy = props.config.protectStatefulResources ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.key = new kms.Key(this, 'PlatformKey', {
      alias: `alias/miko-${props.config.envName}-platform`,
      description: `MiKO ${props.config.envName}: secrets, alarm topics and logs`,
      enableKeyRotation: true,
      policy: platformKeyPolicy(this),
      // A deleted key makes everything it encrypted unreadable; CDK's default 30-day deletion window is the
      // longest AWS allows to notice and cancel.
      removalPolicy,
    });
    const siteStorage = new SiteStorage(this, 'SiteStorage', {
      envName: props.config.envName,
      account: props.config.account,
      removalPolicy,
    });
    this.siteBucket = siteStorage.siteBucket;
    this.logBucket = siteStorage.logBucket;
    this.backupVault = new BackupVault(this, 'BackupVault', {
      envName: props.config.envName,
      account: props.config.account,
      key: this.key,
      backups: props.config.backups,
      logBucket: this.logBucket,
      removalPolicy,
    }).bucket;
    new BackupImageRepository(this, 'BackupImages', { envName: props.config.envName });
    // The audit trail and the optional CloudTrail trail keep their records alike: same key, lock and access logs.
    const records = {
      envName: props.config.envName,
      account: props.config.account,
      key: this.key,
      retentionDays: props.config.audit.retentionDays,
      logBucket: this.logBucket,
      removalPolicy,
    };
    this.auditBucket = new AuditTrail(this, 'AuditTrail', records).bucket;
    if (props.config.audit.cloudTrail) new AccountTrail(this, 'AccountTrail', records);
    this.secrets = new PlatformSecrets(this, 'Secrets', {
      envName: props.config.envName,
      key: this.key,
      rotation: props.config.rotation,
      supabaseProjectUrl: props.config.backends.supabase.projectUrl,
      googleCloudProject: props.config.rotation.googleCloudProject,
      siteOrigin: `https://${props.config.domain.name}`,
      // By its fixed name, as the other stacks name it: the grants and the function's setting are plain strings.
      auditBucket: s3.Bucket.fromBucketName(
        this,
        'AuditBucketByName',
        auditBucketName(props.config.envName, props.config.account),
      ),
      removalPolicy,
    });
  }
}
