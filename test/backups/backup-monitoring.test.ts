/**
 * The age of the newest backup as the 15-minute function measures it, the backups' warnings with their thresholds
 * in Monitoring, and their time to detect.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { S3Client } from '@aws-sdk/client-s3';
import { measureBackupAge } from '../../lambda/backup-age/handler';
import { MANIFEST_FORMAT, manifestKey } from '../../jobs/backups/manifest';
import { backupTimeToDetect } from '../../tools/analysis/time-to-detect';
import { startFakeS3 } from '../../tools/stand-ins/s3';
import { DUMMY_AWS_ENV, startCloudWatch } from '../../tools/stand-ins/aws-endpoints';
import { BACKUP_THRESHOLDS } from '../../lib/backups/backup-alarms';
import { stackArtifact, template } from '../support/assembly';

const credentials = {
  accessKeyId: DUMMY_AWS_ENV.AWS_ACCESS_KEY_ID,
  secretAccessKey: DUMMY_AWS_ENV.AWS_SECRET_ACCESS_KEY,
};
const manifest = (runId: string, finishedAt: string) =>
  JSON.stringify({
    format: MANIFEST_FORMAT,
    environment: 'staging',
    runId,
    startedAt: finishedAt,
    finishedAt,
    server: { version: '15.8', versionNum: 150008 },
    pgDump: 'pg_dump 17',
    database: 'postgres',
    schemas: ['public'],
    objects: [{ part: 'data', key: 'k', bytes: 1, sha256: '0'.repeat(64), format: 'custom' }],
    tables: [],
    totalBytes: 1,
  });

test('publishes the hours since the newest manifest and the newest passing drill, and nothing when there is none (the alarms then breach)', async () => {
  const s3Server = await startFakeS3('vault');
  const cloudwatch = await startCloudWatch();
  const s3 = new S3Client({ endpoint: s3Server.url, forcePathStyle: true, region: 'us-east-1', credentials });
  const cw = new CloudWatchClient({ endpoint: cloudwatch.url, region: 'us-east-1', credentials });
  try {
    const deps = { s3, cloudwatch: cw, envName: 'staging', bucket: 'vault', now: new Date('2026-12-02T09:15:00Z') };
    expect(await measureBackupAge(deps)).toEqual({ backupHours: undefined, drillHours: undefined });
    expect(cloudwatch.datapoints).toEqual([]);
    s3Server.objects.set(manifestKey('staging', '2026-12-01T03-15-00-000Z'), {
      body: Buffer.from(manifest('2026-12-01T03-15-00-000Z', '2026-12-01T03:25:00.000Z')),
    });
    s3Server.objects.set(manifestKey('staging', '2026-12-02T03-15-00-000Z'), {
      body: Buffer.from(manifest('2026-12-02T03-15-00-000Z', '2026-12-02T03:15:00.000Z')),
    });
    // A run without a manifest is not a backup, however new.
    s3Server.objects.set('backups/staging/2026-12-02T08-00-00-000Z/data.dump', { body: Buffer.from('partial') });
    // The newest drill failed; the one before passed: the drill's age runs from the passing one.
    s3Server.objects.set('drills/staging/2026-11-29T05-30-00-000Z.json', {
      body: Buffer.from(JSON.stringify({ finishedAt: '2026-11-29T05:30:00.000Z', ok: true })),
    });
    s3Server.objects.set('drills/staging/2026-12-01T05-30-00-000Z.json', {
      body: Buffer.from(JSON.stringify({ finishedAt: '2026-12-01T05:30:00.000Z', ok: false, check: 'sha256:data' })),
    });
    expect(await measureBackupAge(deps)).toEqual({ backupHours: 6, drillHours: 75.75 });
    expect(cloudwatch.datapoints.map((d) => [d.namespace, d.name, d.value, d.dimensions.Environment])).toEqual([
      ['MiKO/Backups', 'BackupAgeHours', 6, 'staging'],
      ['MiKO/Backups', 'RestoreDrillAgeHours', 75.75, 'staging'],
    ]);
  } finally {
    s3.destroy();
    cw.destroy();
    await s3Server.close();
    await cloudwatch.close();
  }
});

test('every backup warning fires within the hour of its condition', () => {
  const rows = backupTimeToDetect(stackArtifact('Production', 'Monitoring').template);
  expect(rows.map((r) => r.alarm).sort()).toEqual([
    'miko-production-warning-backup-missing',
    'miko-production-warning-backup-shrank',
    'miko-production-warning-restore-drill-failed',
    'miko-production-warning-restore-drill-stale',
  ]);
  for (const row of rows) expect(row.seconds).toBeLessThanOrEqual(3600);
});

describe("the backups' warnings", () => {
  const monitoring = template('Production', 'Monitoring');
  const alarm = (slug: string) =>
    Object.values<any>(monitoring.findResources('AWS::CloudWatch::Alarm')).find(
      (a) => a.Properties.AlarmName === `miko-production-warning-${slug}`,
    )?.Properties;

  it.each([
    [
      'backup-missing',
      'BackupAgeHours',
      'Maximum',
      'GreaterThanThreshold',
      BACKUP_THRESHOLDS.maxAgeHours,
      900,
      'breaching',
    ],
    ['restore-drill-failed', 'RestoreDrillSucceeded', 'Minimum', 'LessThanThreshold', 1, 300, 'notBreaching'],
    [
      'restore-drill-stale',
      'RestoreDrillAgeHours',
      'Maximum',
      'GreaterThanThreshold',
      BACKUP_THRESHOLDS.maxDrillAgeHours,
      900,
      'breaching',
    ],
    [
      'backup-shrank',
      'BackupShrinkPercent',
      'Maximum',
      'GreaterThanThreshold',
      BACKUP_THRESHOLDS.shrinkPercent,
      300,
      'notBreaching',
    ],
  ])(
    '%s: %s %s %s %d over %d s, missing data %s, to the warning topic',
    (slug, metric, statistic, comparison, threshold, period, missing) => {
      const a = alarm(slug);
      expect(a).toMatchObject({
        Namespace: 'MiKO/Backups',
        MetricName: metric,
        Statistic: statistic,
        ComparisonOperator: comparison,
        Threshold: threshold,
        Period: period,
        TreatMissingData: missing,
        Dimensions: [{ Name: 'Environment', Value: 'production' }],
      });
      expect(JSON.stringify(a.AlarmActions)).toMatch(/Warning/);
    },
  );

  it('are on the dashboard', () => {
    const [dashboard] = Object.values<any>(monitoring.findResources('AWS::CloudWatch::Dashboard'));
    const body = JSON.stringify(dashboard.Properties.DashboardBody);
    for (const metric of ['BackupAgeHours', 'BackupBytes', 'RestoreDrillSucceeded', 'RestoreSeconds'])
      expect(body).toContain(metric);
  });
});
