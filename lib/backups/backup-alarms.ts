/**
 * The backups' warnings (working hours: a missing backup is not yet lost data), as AlarmSpecs for the alarm factory:
 * - no successful backup in 26 hours (nightly plus two hours of slack);
 * - a failed restore drill, or none passed in a week and 2 hours (a stopped drill is otherwise silent);
 * - a backup over 50 % smaller than the previous one (a sign of data loss upstream).
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { BACKUP_METRICS, backupMetric } from '../monitoring/metrics';
import type { AlarmSpec } from '../monitoring/platform-alarm';

export const BACKUP_THRESHOLDS = {
  /** Nightly backups: 24 h between them plus 2 h for a slow run or a late Spot start. */
  maxAgeHours: 26,
  /** More than this much smaller than the previous backup warns. */
  shrinkPercent: 50,
  /** Weekly drills: 7 days between them plus 2 h for a slow run. */
  maxDrillAgeHours: 7 * 24 + 2,
} as const;

/** The age function publishes every 15 minutes (backup-age-function.ts); its alarm reads each quarter hour. */
export const BACKUP_AGE_PERIOD = Duration.minutes(15);
/** Drill and shrink values arrive once per run; a short period makes them alarm within minutes of arriving. */
const PER_RUN_PERIOD = Duration.minutes(5);

const { GREATER_THAN_THRESHOLD: ABOVE, LESS_THAN_THRESHOLD: BELOW } = cloudwatch.ComparisonOperator;

export function backupAlarmSpecs(envName: string): AlarmSpec[] {
  return [
    {
      slug: 'backup-missing',
      severity: 'warning',
      why: `No backup manifest newer than ${BACKUP_THRESHOLDS.maxAgeHours} h in the vault (the nightly job failed or did not start): see docs/runbooks/restore-database.md, then "npm run backup -- --env ${envName} --now".`,
      runbook: 'restore-database',
      metric: backupMetric(envName, BACKUP_METRICS.ageHours, 'Maximum', BACKUP_AGE_PERIOD),
      threshold: BACKUP_THRESHOLDS.maxAgeHours,
      comparison: ABOVE,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      missingDataWhy:
        'the age function publishes every 15 minutes while a backup exists; silence means it is broken, and then nobody would hear of a missing backup.',
    },
    {
      slug: 'restore-drill-failed',
      severity: 'warning',
      why: 'The weekly restore drill could not restore or verify the newest backup (its log names the failed check: sha256:<part>, restore:<part>, table-checks).',
      runbook: 'restore-database',
      metric: backupMetric(envName, BACKUP_METRICS.drillSucceeded, 'Minimum', PER_RUN_PERIOD),
      threshold: 1,
      comparison: BELOW,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      missingDataWhy: 'the drill publishes once a week; hours without a drill are normal.',
    },
    {
      slug: 'restore-drill-stale',
      severity: 'warning',
      why: `No restore drill has passed in ${BACKUP_THRESHOLDS.maxDrillAgeHours} h: the weekly drill failed, did not start, or was killed before reporting (ECS > cluster miko-${envName}-backups > stopped tasks).`,
      runbook: 'restore-database',
      metric: backupMetric(envName, BACKUP_METRICS.drillAgeHours, 'Maximum', BACKUP_AGE_PERIOD),
      threshold: BACKUP_THRESHOLDS.maxDrillAgeHours,
      comparison: ABOVE,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      missingDataWhy: 'no passing drill report at all (or a broken age function) is no proof that the backups restore.',
    },
    {
      slug: 'backup-shrank',
      severity: 'warning',
      why: `A backup came out more than ${BACKUP_THRESHOLDS.shrinkPercent} % smaller than the previous one: rows may have been deleted upstream. Check the tables' counts in the two manifests before the old backups age out.`,
      runbook: 'restore-database',
      metric: backupMetric(envName, BACKUP_METRICS.shrinkPercent, 'Maximum', PER_RUN_PERIOD),
      threshold: BACKUP_THRESHOLDS.shrinkPercent,
      comparison: ABOVE,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      missingDataWhy: 'published once per backup; the hours between backups have none.',
    },
  ];
}
