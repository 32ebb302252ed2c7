/**
 * Publishes BackupAgeHours: hours since the newest backup manifest's finishedAt. With no manifest at all it
 * publishes nothing, which the missing-backup alarm treats as breaching (no backup is the worst age).
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { S3Client } from '@aws-sdk/client-s3';
import { BACKUP_METRICS, publishBackupMetrics } from '../../jobs/backups/metrics';
import { newestManifest } from '../../jobs/backups/vault';
import { jsonLogger } from '../shared/log';

const s3 = new S3Client({});
const cloudwatch = new CloudWatchClient({});

export async function measureBackupAge(deps: { s3: S3Client; cloudwatch: CloudWatchClient; envName: string; bucket: string; now?: Date }): Promise<number | undefined> {
  const newest = await newestManifest(deps.s3, deps.bucket, deps.envName);
  if (!newest) return undefined;
  const hours = ((deps.now ?? new Date()).getTime() - Date.parse(newest.manifest.finishedAt)) / 3_600_000;
  await publishBackupMetrics(deps.cloudwatch, deps.envName, { [BACKUP_METRICS.ageHours]: Math.round(hours * 100) / 100 });
  return hours;
}

export async function handler(): Promise<void> {
  const envName = process.env.BACKUP_ENVIRONMENT!;
  const hours = await measureBackupAge({ s3, cloudwatch, envName, bucket: process.env.BACKUP_VAULT_BUCKET! });
  jsonLogger({ fn: 'backup-age' }).info(hours === undefined ? 'no backup in the vault' : 'backup age', { envName, hours });
}
