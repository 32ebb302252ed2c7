/**
 * The backup vault, in the Data stack: the one place the nightly dumps land. A locked bucket
 * (lib/shared/locked-bucket.ts; COMPLIANCE in production: nobody, the account root included, can delete or overwrite
 * a backup before its retention ends), a move to Glacier Instant Retrieval after N days, expiry after retention.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { BackupsConfig } from '../config/backups';
import { createLockedBucket } from '../shared/locked-bucket';

/** Fixed name (environment + account), so the Backups and Monitoring stacks refer to it without an export. */
export function vaultBucketName(envName: string, account: string): string {
  return `miko-${envName}-backups-${account}`;
}

/** Photos stay for years: Glacier Instant Retrieval's 90-day minimum is paid back even where backups stay Standard. */
const PHOTOS_COLD_AFTER_DAYS = 30;

const coldAfter = (days: number | null): s3.Transition[] | undefined =>
  days === null
    ? undefined
    : [{ storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(days) }];

/** Parts of a run the task never completed (it died mid-upload): S3 keeps them, invisible, until this many days. */
const ABORT_INCOMPLETE_UPLOADS_DAYS = 1;

export interface BackupVaultProps {
  readonly envName: string;
  readonly account: string;
  readonly key: kms.IKey;
  readonly backups: Pick<BackupsConfig, 'objectLockMode' | 'retentionDays' | 'coldStorageAfterDays'>;
  /** Receives the vault's S3 access logs (the site's log bucket). */
  readonly logBucket: s3.IBucket;
  readonly removalPolicy: RemovalPolicy;
}

export class BackupVault extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: BackupVaultProps) {
    super(scope, id);
    const { objectLockMode, retentionDays, coldStorageAfterDays } = props.backups;
    const retention = Duration.days(retentionDays);
    this.bucket = createLockedBucket(this, 'Bucket', {
      bucketName: vaultBucketName(props.envName, props.account),
      key: props.key,
      retention:
        objectLockMode === 'COMPLIANCE'
          ? s3.ObjectLockRetention.compliance(retention)
          : s3.ObjectLockRetention.governance(retention),
      logBucket: props.logBucket,
      logPrefix: 's3-backups/',
      removalPolicy: props.removalPolicy,
      lifecycleRules: [
        ...['backups/', 'drills/'].map((prefix) => ({
          id: `ColdThenExpire${prefix === 'backups/' ? 'Backups' : 'DrillReports'}`,
          prefix,
          transitions: coldAfter(prefix === 'backups/' ? coldStorageAfterDays : null),
          // The day after the lock ends: a delete marker first, the locked version itself a day later.
          expiration: Duration.days(retentionDays + 1),
          noncurrentVersionExpiration: Duration.days(1),
          abortIncompleteMultipartUploadAfter: Duration.days(ABORT_INCOMPLETE_UPLOADS_DAYS),
        })),
        {
          // Photos are kept by content and referenced by every later backup: they never expire (a deletion at the
          // source must not delete the copy); Glacier Instant Retrieval after the configured days keeps them cheap.
          id: 'ColdPhotosKeptForever',
          prefix: 'storage/',
          transitions: coldAfter(coldStorageAfterDays ?? PHOTOS_COLD_AFTER_DAYS),
          abortIncompleteMultipartUploadAfter: Duration.days(ABORT_INCOMPLETE_UPLOADS_DAYS),
        },
      ],
      // Dumps and photos go up in multipart uploads, whose part steps carry no condition header.
      writeOnceSid: 'DenyWritesThatCouldReplaceAnObject',
      allowMultipartSteps: true,
      whyNoReplica:
        'The vault is itself the off-site copy (Supabase holds the primary and its own backups); a cross-region replica would double its cost for a third copy. Object Lock, not replication, is what keeps it from being deleted.',
    });
  }
}
