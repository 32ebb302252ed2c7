/**
 * The task's entry point: `node main.js backup` (nightly) or `node main.js drill` (weekly). Logs JSON lines with
 * identifiers and outcomes only (keys, sizes, checks), never a row or a credential; exits 1 on failure so ECS
 * records the task as failed.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { S3Client } from '@aws-sdk/client-s3';
import { jsonLogger } from '../../lambda/shared/log';
import { runBackup } from './backup';
import { runDrill } from './drill';
import { BACKUP_METRICS, publishBackupMetrics, shrinkPercent } from './metrics';
import { findPgBin } from './pg-tools';
import { TASK_ENV, backupSettingsFromEnv, knownPatientFromEnv } from './settings';
import { DRILL_ROTATION } from './storage-copy';
import { s3Vault } from './store';

async function main(mode: string | undefined): Promise<void> {
  const s3 = new S3Client({});
  const cloudwatch = new CloudWatchClient({});
  const log = jsonLogger({ job: `backup-${mode}` });
  if (mode !== 'backup' && mode !== 'drill')
    throw new Error(`unknown mode "${mode}". Fix: run "main.js backup" or "main.js drill".`);
  const bucket = process.env[TASK_ENV.bucket];
  if (!bucket) throw new Error(`${TASK_ENV.bucket} must be set (the task definition sets it).`);
  const vault = s3Vault(s3, bucket);
  if (mode === 'backup') {
    const settings = backupSettingsFromEnv();
    const result = await runBackup(vault, settings);
    const shrink = shrinkPercent(result.manifest.totalBytes, result.previousBytes);
    await publishBackupMetrics(cloudwatch, settings.envName, {
      [BACKUP_METRICS.bytes]: result.manifest.totalBytes,
      [BACKUP_METRICS.shrinkPercent]: shrink,
      [BACKUP_METRICS.ageHours]: 0,
    });
    log.info('backup finished', {
      manifest: result.key,
      bytes: result.manifest.totalBytes,
      tables: result.manifest.tables.length,
      shrinkPercent: shrink,
      storageObjects: result.manifest.storage?.objects ?? 0,
      seconds: result.seconds,
    });
    return;
  }
  if (mode === 'drill') {
    const envName = process.env[TASK_ENV.envName];
    if (!envName) throw new Error(`${TASK_ENV.envName} must be set (the task definition sets it).`);
    const outcome = await runDrill(
      vault,
      cloudwatch,
      {
        envName,
        pgBin: findPgBin(),
        knownPatient: knownPatientFromEnv(),
        photoRotation: { ...DRILL_ROTATION, now: new Date() },
      },
      (line) => log.info(line),
    );
    if (outcome.ok) {
      log.info('drill passed', {
        manifest: outcome.report.key,
        seconds: outcome.report.seconds,
        bytes: outcome.report.bytes,
        tables: outcome.report.tables.length,
        checks: outcome.report.checks.map((c) => c.check).join(','),
        schemaErrors: outcome.report.schemaErrors.length,
      });
      return;
    }
    log.error('drill failed', { check: outcome.check, reason: outcome.message });
    process.exitCode = 1;
    return;
  }
}

main(process.argv[2]).catch((error: Error) => {
  jsonLogger({ job: `backup-${process.argv[2]}` }).error('failed', { reason: error.message });
  process.exitCode = 1;
});
