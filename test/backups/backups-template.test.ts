/**
 * The synthesized backups: the vault in Data (Object Lock per environment, KMS, versioning, TLS-only, Block Public
 * Access, lifecycle, RETAIN in production), the tasks' least privilege and the schedules. Their warnings in
 * Monitoring are tested with the whole app (backup-monitoring.test.ts).
 */
import { loadAppConfig } from '../../lib/config';
import { TASK_CPU, TASK_MEMORY_MIB } from '../../lib/backups/backup-task';
import { backupsTemplate, dataTemplate } from '../support/one-stack';

const config = loadAppConfig();
/** The two stacks this file reads, each synthesized on its own (test/support/one-stack.ts). */
const template = (stage: 'Staging' | 'Production', part: 'Data' | 'Backups') =>
  (part === 'Data' ? dataTemplate : backupsTemplate)(stage === 'Production' ? 'production' : 'staging');
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

  it('refuses every write that could replace an object: PutObject and CompleteMultipartUpload need If-None-Match', () => {
    for (const stage of ['Production', 'Staging'] as const) {
      const policies = Object.values<any>(template(stage, 'Data').findResources('AWS::S3::BucketPolicy'));
      const vaultPolicy = policies.find((p) => JSON.stringify(p.Properties.Bucket).includes('BackupVault'));
      const deny = vaultPolicy.Properties.PolicyDocument.Statement.find(
        (s: any) => s.Sid === 'DenyWritesThatCouldReplaceAnObject',
      );
      expect(deny).toMatchObject({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:PutObject',
        Condition: { Null: { 's3:if-none-match': 'true' }, Bool: { 's3:ObjectCreationOperation': 'true' } },
      });
      expect(JSON.stringify(deny.Resource)).toMatch(/BackupVault.*\/\*/);
    }
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

  it('keeps photos forever (a deletion at the source never deletes the copy), in Glacier Instant Retrieval after 30 days', () => {
    for (const stage of ['Production', 'Staging'] as const) {
      const rules = vaultOf(stage).Properties.LifecycleConfiguration.Rules;
      expect(rules.map((r: any) => r.Prefix).sort()).toEqual(['backups/', 'drills/', 'storage/']);
      const photos = rules.find((r: any) => r.Prefix === 'storage/');
      expect(photos.ExpirationInDays).toBeUndefined();
      expect(photos.NoncurrentVersionExpiration).toBeUndefined();
      expect(photos.Transitions).toEqual([{ StorageClass: 'GLACIER_IR', TransitionInDays: 30 }]);
      for (const r of rules.filter((r: any) => r.Prefix !== 'storage/'))
        expect(r.ExpirationInDays).toBe(
          config[stage === 'Production' ? 'production' : 'staging'].backups.retentionDays + 1,
        );
    }
  });
});

describe('the backup and drill tasks', () => {
  const backups = template('Production', 'Backups');
  const taskDefinitions = Object.values<any>(backups.findResources('AWS::ECS::TaskDefinition'));
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
    expect(container.Secrets.map((s: any) => s.Name)).toContain('PGPASSWORD');
    expect(container.Environment.map((e: any) => e.Name)).not.toContain('PGPASSWORD');
  });

  it("the backup role writes only to this environment's prefixes of the vault, and the drill role reads them and writes only its reports", () => {
    const vaultObjects = [
      'arn:aws:s3:::miko-production-backups-222222222222/backups/production/*',
      'arn:aws:s3:::miko-production-backups-222222222222/storage/production/*',
    ];
    const backup = statementsOf(family('miko-production-backup').Properties.TaskRoleArn);
    const s3Writes = backup.filter((s) => asArray<string>(s.Action).some((a) => /^s3:(Put|Delete|Abort)/.test(a)));
    expect(s3Writes).toHaveLength(1);
    expect(s3Writes[0].Resource).toEqual(vaultObjects);
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
    const lists = drill.find((s) => s.Action === 's3:ListBucket');
    expect(lists.Condition.StringLike['s3:prefix']).toEqual(['backups/production/*', 'storage/production/*']);
  });

  it('each execution role reads only its own secrets: the backup the database password and the Storage S3 key, the drill the test patient', () => {
    const secretsRead = (family: any) =>
      statementsOf(family.Properties.ExecutionRoleArn)
        .filter((s) => asArray<string>(s.Action).some((a) => a.startsWith('secretsmanager:')))
        .flatMap((s) =>
          [...JSON.stringify(s.Resource).matchAll(/OutputRefSecrets([A-Za-z0-9]+?)[A-F0-9]{8}/g)].map((m) => m[1]),
        )
        .sort();
    expect(secretsRead(family('miko-production-backup'))).toEqual(['SupabaseBackupDbPassword', 'SupabaseStorageS3Key']);
    expect(secretsRead(family('miko-production-drill'))).toEqual(['DrillTestPatient']);
    const [backupContainer] = family('miko-production-backup').Properties.ContainerDefinitions;
    expect(backupContainer.Secrets.map((s: any) => s.Name).sort()).toEqual([
      'PGPASSWORD',
      'SUPABASE_S3_ACCESS_KEY_ID',
      'SUPABASE_S3_SECRET_ACCESS_KEY',
    ]);
    const env = Object.fromEntries(backupContainer.Environment.map((e: any) => [e.Name, e.Value]));
    expect(env).toMatchObject({
      SUPABASE_S3_ENDPOINT: 'https://productionprojectref.storage.supabase.co/storage/v1/s3',
      BACKUP_STORAGE_BUCKETS: config.production.backups.storage.buckets.join(','),
    });
    const [drillContainer] = family('miko-production-drill').Properties.ContainerDefinitions;
    expect(drillContainer.Secrets.map((s: any) => s.Name).sort()).toEqual([
      'DRILL_PATIENT_EMAIL',
      'DRILL_PATIENT_PASSWORD',
    ]);
  });

  it('start on their schedules: the backup nightly, the drill weekly, in public subnets with no inbound rule', () => {
    const schedules = Object.values<any>(backups.findResources('AWS::Scheduler::Schedule'));
    const byName = Object.fromEntries(schedules.map((s) => [s.Properties.Name, s.Properties]));
    expect(byName['miko-production-backup'].ScheduleExpression).toBe(config.production.backups.backupSchedule);
    expect(byName['miko-production-restore-drill'].ScheduleExpression).toBe(config.production.backups.drillSchedule);
    expect(
      byName['miko-production-backup'].Target.EcsParameters.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp,
    ).toBe('ENABLED');
    expect(backups.findResources('AWS::EC2::NatGateway')).toEqual({});
  });

  describe('egress reaches only what each task calls', () => {
    const groups = backups.findResources('AWS::EC2::SecurityGroup');
    const groupOf = (schedule: string) => {
      const schedules = Object.values<any>(backups.findResources('AWS::Scheduler::Schedule'));
      const target = schedules.find((s) => s.Properties.Name === schedule).Properties.Target;
      const [ref] = target.EcsParameters.NetworkConfiguration.AwsvpcConfiguration.SecurityGroups;
      return ref['Fn::GetAtt'][0] as string;
    };
    const endpointGroups = Object.values<any>(backups.findResources('AWS::EC2::VPCEndpoint'))
      .filter((e) => e.Properties.VpcEndpointType === 'Interface')
      .flatMap((e) => e.Properties.SecurityGroupIds.map((g: any) => g['Fn::GetAtt'][0]));
    // Egress to another group is a separate AWS::EC2::SecurityGroupEgress resource; to an address, inline.
    const egressOf = (groupId: string) => [
      ...(groups[groupId].Properties.SecurityGroupEgress ?? []).map((e: any) => ({ port: e.FromPort, to: e.CidrIp })),
      ...Object.values<any>(backups.findResources('AWS::EC2::SecurityGroupEgress'))
        .filter((e) => e.Properties.GroupId['Fn::GetAtt'][0] === groupId)
        .map((e) => ({
          port: e.Properties.FromPort,
          to: e.Properties.DestinationPrefixListId ?? e.Properties.DestinationSecurityGroupId['Fn::GetAtt'][0],
        })),
    ];

    it('AWS APIs go through private endpoints: S3 by its prefix list, the rest by interface endpoints only these tasks reach', () => {
      const services = Object.values<any>(backups.findResources('AWS::EC2::VPCEndpoint'))
        .map(
          (e) =>
            JSON.stringify(e.Properties.ServiceName).match(
              /amazonaws\.com\.[^"]+|\.(s3|ecr\.api|ecr\.dkr|logs|secretsmanager|monitoring)"/,
            )![0],
        )
        .sort();
      expect(services.join(' ')).toMatch(/ecr\.api.*ecr\.dkr.*logs.*monitoring.*s3.*secretsmanager/);
      expect(new Set(endpointGroups).size).toBe(1);
      expect(groups[endpointGroups[0]].Properties.SecurityGroupEgress).toEqual([
        expect.objectContaining({ CidrIp: '255.255.255.255/32' }),
      ]);
      for (const id of new Set(endpointGroups)) {
        const ingress = Object.values<any>(backups.findResources('AWS::EC2::SecurityGroupIngress')).filter(
          (i) => i.Properties.GroupId['Fn::GetAtt'][0] === id,
        );
        expect(ingress.map((i) => i.Properties.SourceSecurityGroupId['Fn::GetAtt'][0]).sort()).toEqual(
          [groupOf('miko-production-backup'), groupOf('miko-production-restore-drill')].sort(),
        );
        expect(groups[id].Properties.SecurityGroupIngress ?? []).toEqual([]);
      }
    });

    it('the drill reaches AWS only: S3 and the endpoints on 443, nothing on the internet', () => {
      const drill = egressOf(groupOf('miko-production-restore-drill'));
      expect(groups[groupOf('miko-production-restore-drill')].Properties.SecurityGroupIngress).toBeUndefined();
      expect(drill.every((e) => e.port === 443)).toBe(true);
      expect(drill.filter((e) => !endpointGroups.includes(e.to)).map((e) => e.to)).toEqual(['pl-63a5400a']);
    });

    it('the backup adds only Supabase: Storage on 443 by Cloudflare ranges, the pooler on 5432; never any address on 443', () => {
      const backup = egressOf(groupOf('miko-production-backup'));
      expect(groupOf('miko-production-backup')).not.toBe(groupOf('miko-production-restore-drill'));
      expect(backup.filter((e) => e.to === '0.0.0.0/0')).toEqual([{ port: 5432, to: '0.0.0.0/0' }]);
      const https = backup.filter((e) => e.port === 443 && !endpointGroups.includes(e.to)).map((e) => e.to);
      expect(https).toContain('pl-63a5400a');
      expect(https).toContain('104.16.0.0/13');
      expect(https.filter((to) => to !== 'pl-63a5400a').every((cidr) => Number(cidr.split('/')[1]) >= 13)).toBe(true);
      expect(backup.map((e) => e.port).every((p) => p === 443 || p === 5432)).toBe(true);
    });
  });
});
