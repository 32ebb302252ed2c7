/**
 * Publishes BackupAgeHours (hours since the newest backup manifest's finishedAt) and RestoreDrillAgeHours (since the
 * newest passing drill). With nothing to measure it publishes nothing, which both alarms treat as breaching.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { S3Client } from '@aws-sdk/client-s3';
import { BACKUP_METRICS, publishBackupMetrics } from '../../jobs/backups/metrics';
import { s3Vault } from '../../jobs/backups/store';
import { newestManifest, newestPassingDrill } from '../../jobs/backups/vault-index';
import { jsonLogger } from '../shared/log';

const s3 = new S3Client({});
const cloudwatch = new CloudWatchClient({});

export interface Ages {
  /** Hours since the newest backup finished; undefined when there is none. */
  readonly backupHours?: number;
  /** Hours since the newest drill that passed; undefined when none has. */
  readonly drillHours?: number;
}

/** Publishes what exists; an age with nothing behind it is left missing, which its alarm treats as breaching. */
export async function measureBackupAge(deps: {
  s3: S3Client;
  cloudwatch: CloudWatchClient;
  envName: string;
  bucket: string;
  now?: Date;
}): Promise<Ages> {
  const now = (deps.now ?? new Date()).getTime();
  const hoursSince = (iso: string) => Math.round(((now - Date.parse(iso)) / 3_600_000) * 100) / 100;
  const vault = s3Vault(deps.s3, deps.bucket);
  const newest = await newestManifest(vault, deps.envName);
  const drill = await newestPassingDrill(vault, deps.envName);
  const ages: Ages = {
    backupHours: newest && hoursSince(newest.manifest.finishedAt),
    drillHours: drill && hoursSince(drill.finishedAt),
  };
  await publishBackupMetrics(deps.cloudwatch, deps.envName, {
    ...(ages.backupHours !== undefined ? { [BACKUP_METRICS.ageHours]: ages.backupHours } : {}),
    ...(ages.drillHours !== undefined ? { [BACKUP_METRICS.drillAgeHours]: ages.drillHours } : {}),
  });
  return ages;
}

export async function handler(): Promise<void> {
  const envName = process.env.BACKUP_ENVIRONMENT!;
  const ages = await measureBackupAge({ s3, cloudwatch, envName, bucket: process.env.BACKUP_VAULT_BUCKET! });
  jsonLogger({ fn: 'backup-age' }).info('ages', {
    envName,
    backupHours: ages.backupHours ?? 'none',
    drillHours: ages.drillHours ?? 'none',
  });
}
