/** The job's CloudWatch metrics; the alarms in lib/backups/backup-alarms.ts watch exactly these names and dimension. */
import { CloudWatchClient, PutMetricDataCommand, StandardUnit } from '@aws-sdk/client-cloudwatch';

export const BACKUP_NAMESPACE = 'MiKO/Backups';

export const BACKUP_METRICS = {
  /** Hours since the newest manifest's finish time (published hourly by the age function, and 0 after a backup). */
  ageHours: 'BackupAgeHours',
  /** Total bytes of one backup's objects. */
  bytes: 'BackupBytes',
  /** How much smaller this backup is than the previous one, in % (0 when it grew). */
  shrinkPercent: 'BackupShrinkPercent',
  /** 1 when a drill restored and verified the newest backup, 0 when any step or check failed. */
  drillSucceeded: 'RestoreDrillSucceeded',
  /** Seconds the drill's download + verify + restore + checks took. */
  restoreSeconds: 'RestoreSeconds',
  /** Hours since the newest drill that passed (published by the age function, from the drills' reports). */
  drillAgeHours: 'RestoreDrillAgeHours',
} as const;

export type BackupMetricName = (typeof BACKUP_METRICS)[keyof typeof BACKUP_METRICS];

export async function publishBackupMetrics(
  cloudwatch: CloudWatchClient,
  envName: string,
  values: Partial<Record<BackupMetricName, number>>,
): Promise<void> {
  const units: Record<BackupMetricName, StandardUnit> = {
    BackupAgeHours: 'None',
    BackupBytes: 'Bytes',
    BackupShrinkPercent: 'Percent',
    RestoreDrillSucceeded: 'Count',
    RestoreSeconds: 'Seconds',
    RestoreDrillAgeHours: 'None',
  };
  const data = Object.entries(values).map(([name, value]) => ({
    MetricName: name,
    Value: value,
    Unit: units[name as BackupMetricName],
    Dimensions: [{ Name: 'Environment', Value: envName }],
  }));
  if (data.length > 0)
    await cloudwatch.send(new PutMetricDataCommand({ Namespace: BACKUP_NAMESPACE, MetricData: data }));
}

/** 100 × (1 − this / previous), never negative: a backup that grew did not shrink. */
export function shrinkPercent(bytes: number, previousBytes: number | undefined): number {
  if (!previousBytes) return 0;
  return Math.max(0, Math.round(1000 * (1 - bytes / previousBytes)) / 10);
}
