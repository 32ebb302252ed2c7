/**
 * Stateless: everything that makes and proves the backups, except the vault itself (Data) and the alarms
 * (Monitoring, beside their topics). Read top to bottom: the network the tasks run in, the image repository, the
 * backup and drill tasks, their schedules, and the hourly age of the newest backup.
 */
import { CfnParameter, RemovalPolicy, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import type { DataStack } from '../data/data-stack';
import { BackupAgeFunction } from './backup-age-function';
import { BACKUP_AVAILABILITY_ZONES, BackupNetwork } from './backup-network';
import { BackupSchedules } from './backup-schedules';
import { BackupTask } from './backup-task';
import { BACKUP_IMAGE_DIGEST_PARAMETER, backupImageRepositoryName } from './image-repository';
import { vaultBucketName } from './vault-bucket';
import { TASK_ENV } from '../../jobs/backups/settings';

/** Supabase Storage's S3-compatible endpoint of a project (https://<ref>.supabase.co → <ref>.storage.supabase.co). */
export function supabaseStorageEndpoint(projectUrl: string): string {
  const ref = new URL(projectUrl).hostname.split('.')[0];
  return `https://${ref}.storage.supabase.co/storage/v1/s3`;
}

export interface BackupsStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  readonly data: DataStack;
}

export class BackupsStack extends Stack {
  readonly repository: ecr.IRepository;
  readonly backupTask: BackupTask;
  readonly drillTask: BackupTask;
  readonly cluster: ecs.Cluster;

  /** The zones the VPC uses, named so synth never asks the account for its list (it stays offline). */
  override get availabilityZones(): string[] {
    return BACKUP_AVAILABILITY_ZONES;
  }

  constructor(scope: Construct, id: string, props: BackupsStackProps) {
    super(scope, id, props);
    const { config } = props;
    const envName = config.envName;
    const removalPolicy = RemovalPolicy.DESTROY;
    // By name, not by export: the stateful stack need not pin an output for a stateless one.
    const vault = s3.Bucket.fromBucketName(this, 'Vault', vaultBucketName(envName, config.account));

    const network = new BackupNetwork(this, 'Network', {
      envName,
      fixedEgressIp: config.backups.fixedEgressIp,
      databasePort: config.backups.database.port,
      databaseCidrs: config.backups.databaseCidrs,
      key: props.data.key,
    });
    this.cluster = new ecs.Cluster(this, 'Cluster', {
      clusterName: `miko-${envName}-backups`,
      vpc: network.vpc,
      containerInsightsV2: ecs.ContainerInsights.DISABLED,
    });
    Validations.of(this.cluster).acknowledge({
      id: 'AwsSolutions::AwsSolutions-ECS4',
      reason:
        'Two short tasks a week/night: Container Insights would bill custom metrics all month for minutes of use; the job publishes its own metrics (MiKO/Backups) and logs.',
    });

    // By name (Data creates it): the deploy workflow pushes the image between the two stacks' deploys.
    this.repository = ecr.Repository.fromRepositoryName(this, 'Repository', backupImageRepositoryName(envName));
    const imageDigest = new CfnParameter(this, BACKUP_IMAGE_DIGEST_PARAMETER, {
      type: 'String',
      allowedPattern: '^sha256:[a-f0-9]{64}$',
      description: 'Digest of the backup job image the deploy workflow pushed (lib/backups/image-repository.ts)',
      constraintDescription:
        'must be an image digest, sha256:<64 hex>. Fix: let the deploy workflow pass it, or docs/runbooks/rebuild-environment.md step "backup image".',
    });

    const common = {
      envName,
      backups: config.backups,
      repository: this.repository,
      imageDigest: imageDigest.valueAsString,
      vault,
      key: props.data.key,
      removalPolicy,
    };
    // Imported by ARN: a grant on Data's own secret object would write this stack's role into Data's policies (a cycle).
    const secret = (id: 'supabase-backup-db-password' | 'supabase-storage-s3-key' | 'drill-test-patient') =>
      secretsmanager.Secret.fromSecretCompleteArn(this, id, props.data.secrets.secret(id).secretArn);
    const storageKey = secret('supabase-storage-s3-key');
    const patient = secret('drill-test-patient');
    this.backupTask = new BackupTask(this, 'BackupTask', {
      ...common,
      job: 'backup',
      secrets: {
        [TASK_ENV.password]: ecs.Secret.fromSecretsManager(secret('supabase-backup-db-password'), 'value'),
        [TASK_ENV.storageAccessKeyId]: ecs.Secret.fromSecretsManager(storageKey, 'accessKeyId'),
        [TASK_ENV.storageSecretAccessKey]: ecs.Secret.fromSecretsManager(storageKey, 'secretAccessKey'),
      },
      storageEndpoint: supabaseStorageEndpoint(config.backends.supabase.projectUrl),
    });
    this.drillTask = new BackupTask(this, 'DrillTask', {
      ...common,
      job: 'drill',
      secrets: {
        [TASK_ENV.patientEmail]: ecs.Secret.fromSecretsManager(patient, 'email'),
        [TASK_ENV.patientPassword]: ecs.Secret.fromSecretsManager(patient, 'password'),
      },
    });

    new BackupSchedules(this, 'Schedules', {
      envName,
      cluster: this.cluster,
      network,
      backups: config.backups,
      backupTask: this.backupTask.taskDefinition,
      drillTask: this.drillTask.taskDefinition,
      key: props.data.key,
    });
    new BackupAgeFunction(this, 'BackupAge', { envName, vault, key: props.data.key, removalPolicy });
  }
}
