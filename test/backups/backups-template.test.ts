/**
 * The synthesized backups: the vault in Data (Object Lock per environment, KMS, versioning, TLS-only, Block Public
 * Access, lifecycle, RETAIN in production), the tasks' least privilege, the schedules, and the warnings with their
 * thresholds in Monitoring.
 */
import { loadAppConfig } from '../../lib/config';
import { BACKUP_THRESHOLDS } from '../../lib/backups/backup-alarms';
import { TASK_CPU, TASK_MEMORY_MIB } from '../../lib/backups/backup-task';
import { template } from '../support/assembly';

const config = loadAppConfig();
const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
const vaultOf = (stage: 'Staging' | 'Production') => {
  const buckets = Object.values<any>(template(stage, 'Data').findResources('AWS::S3::Bucket'));
  return buckets.find((b) => String(b.Properties.BucketName).includes('-backups-'));
};

describe('the vault', () => {
  it.each([
    ['Production', 'COMPLIANCE', config.production.backups.retentionDays, 'Retain'],
    ['Staging', 'GOVERNANCE', config.staging.backups.retentionDays, 'Delete'],
  ] as const)(
    '%s locks every backup in %s mode for %i days, versioned; DeletionPolicy %s',
    (stage, mode, days, policy) => {
      const vault = vaultOf(stage);
      expect(vault.Properties.ObjectLockEnabled).toBe(true);
      expect(vault.Properties.ObjectLockConfiguration).toEqual({
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: mode, Days: days } },
      });
      expect(vault.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
      expect(vault.DeletionPolicy).toBe(policy);
    },
  );

  it('is encrypted with the platform key (with a bucket key), blocks public access and refuses requests without TLS', () => {
    const data = template('Production', 'Data');
    const vault = vaultOf('Production');
    const [keyId] = Object.keys(data.findResources('AWS::KMS::Key'));
    expect(vault.Properties.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([
      {
        BucketKeyEnabled: true,
        ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] } },
      },
    ]);
    expect(vault.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    const policies = Object.values<any>(data.findResources('AWS::S3::BucketPolicy'));
    const vaultPolicy = policies.find((p) => JSON.stringify(p.Properties.Bucket).includes('BackupVault'));
    expect(vaultPolicy.Properties.PolicyDocument.Statement).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: 's3:*',
        Principal: { AWS: '*' },
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
  });

  it('moves production backups to Glacier Instant Retrieval after the configured days and expires them after retention', () => {
    const [rule] = vaultOf('Production').Properties.LifecycleConfiguration.Rules;
    expect(rule.Transitions).toEqual([
      { StorageClass: 'GLACIER_IR', TransitionInDays: config.production.backups.coldStorageAfterDays },
    ]);
    expect(rule.ExpirationInDays).toBe(config.production.backups.retentionDays + 1);
    expect(rule.AbortIncompleteMultipartUpload).toEqual({ DaysAfterInitiation: 1 });
    expect(vaultOf('Staging').Properties.LifecycleConfiguration.Rules[0].Transitions).toBeUndefined();
  });
});

describe('the backup and drill tasks', () => {
  const backups = template('Production', 'Backups');
  const taskDefinitions = Object.values<any>(backups.findResources('AWS::ECS::TaskDefinition'));
  const roles = backups.findResources('AWS::IAM::Role');
  const policies = Object.values<any>(backups.findResources('AWS::IAM::Policy'));
  const statementsOf = (roleRef: any) => {
    const roleId = roleRef['Fn::GetAtt'][0];
    return policies
      .filter((p) => p.Properties.Roles.some((r: any) => r.Ref === roleId))
      .flatMap((p) => p.Properties.PolicyDocument.Statement);
  };
  const family = (name: string) => taskDefinitions.find((t) => t.Properties.Family === name);

  it('run on Fargate ARM with a small size', () => {
    for (const t of taskDefinitions) {
      expect(t.Properties.RuntimePlatform).toEqual({ CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' });
      expect([t.Properties.Cpu, t.Properties.Memory]).toEqual([String(TASK_CPU), String(TASK_MEMORY_MIB)]);
    }
    expect(taskDefinitions.map((t) => t.Properties.Family).sort()).toEqual([
      'miko-production-backup',
      'miko-production-drill',
    ]);
  });

  it('the backup connects to the session pooler with verify-full and gets its password from its one secret', () => {
    const [container] = family('miko-production-backup').Properties.ContainerDefinitions;
    const env = Object.fromEntries(container.Environment.map((e: any) => [e.Name, e.Value]));
    expect(env).toMatchObject({
      PGHOST: 'aws-0-us-east-1.pooler.supabase.com',
      PGPORT: '5432',
      PGSSLROOTCERT: '/etc/miko/supabase-prod-ca-2021.crt',
      PGUSER: 'miko_backup.productionprojectref',
    });
    expect(container.Secrets).toHaveLength(1);
    expect(container.Secrets[0].Name).toBe('PGPASSWORD');
    expect(container.Environment.map((e: any) => e.Name)).not.toContain('PGPASSWORD');
  });

  it("the backup role writes only to this environment's prefix of the vault, and the drill role reads it and writes only its reports", () => {
    const vaultObjects = 'arn:aws:s3:::miko-production-backups-222222222222/backups/production/*';
    const backup = statementsOf(family('miko-production-backup').Properties.TaskRoleArn);
    const s3Writes = backup.filter((s) => asArray<string>(s.Action).some((a) => /^s3:(Put|Delete|Abort)/.test(a)));
    expect(s3Writes).toHaveLength(1);
    expect(s3Writes[0].Resource).toBe(vaultObjects);
    expect(backup.flatMap((s) => asArray<string>(s.Action))).not.toContain('s3:DeleteObject');
    const drill = statementsOf(family('miko-production-drill').Properties.TaskRoleArn);
    const drillActions = drill.flatMap((s) => asArray<string>(s.Action));
    expect(drillActions.filter((a) => a.startsWith('s3:')).sort()).toEqual([
      's3:GetObject',
      's3:ListBucket',
      's3:PutObject',
    ]);
    // Its one write is its report, beside the backups, never among them.
    expect(drill.filter((s) => asArray<string>(s.Action).includes('s3:PutObject')).map((s) => s.Resource)).toEqual([
      'arn:aws:s3:::miko-production-backups-222222222222/drills/production/*',
    ]);
    expect(drillActions).not.toContain('secretsmanager:GetSecretValue');
  });

  it("only the backup's execution role reads a secret, and only the read-only database password", () => {
    const readers = Object.keys(roles).filter((id) =>
      statementsOf({ 'Fn::GetAtt': [id, 'Arn'] }).some((s) =>
        asArray<string>(s.Action).some((a) => a.startsWith('secretsmanager:')),
      ),
    );
    expect(readers).toHaveLength(1);
    expect(family('miko-production-backup').Properties.ExecutionRoleArn['Fn::GetAtt'][0]).toBe(readers[0]);
    const reads = statementsOf({ 'Fn::GetAtt': [readers[0], 'Arn'] }).filter((s) =>
      asArray<string>(s.Action).some((a) => a.startsWith('secretsmanager:')),
    );
    expect(reads).toHaveLength(1);
    expect(JSON.stringify(reads[0].Resource)).toContain('SecretsSupabaseBackupDbPassword');
  });

  it('start on their schedules: the backup nightly, the drill weekly, in public subnets with no inbound rule', () => {
    const schedules = Object.values<any>(backups.findResources('AWS::Scheduler::Schedule'));
    const byName = Object.fromEntries(schedules.map((s) => [s.Properties.Name, s.Properties]));
    expect(byName['miko-production-backup'].ScheduleExpression).toBe(config.production.backups.backupSchedule);
    expect(byName['miko-production-restore-drill'].ScheduleExpression).toBe(config.production.backups.drillSchedule);
    expect(
      byName['miko-production-backup'].Target.EcsParameters.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp,
    ).toBe('ENABLED');
    const [group] = Object.values<any>(backups.findResources('AWS::EC2::SecurityGroup'));
    expect(group.Properties.SecurityGroupIngress).toBeUndefined();
    expect(group.Properties.SecurityGroupEgress.map((e: any) => e.FromPort).sort()).toEqual([443, 5432]);
    expect(backups.findResources('AWS::EC2::NatGateway')).toEqual({});
  });
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
