/**
 * The backup and drill as ECS Fargate tasks: one image, two task definitions, each with a least-privilege role.
 * The backup gets its secrets from ECS and writes only under its environment's vault prefixes; the drill reads the
 * vault and holds no database credential, only the test patient's login.
 * Fargate, not Lambda: a Lambda stops at 15 minutes and 10 GB of /tmp, and the drill runs a local PostgreSQL.
 */
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { BACKUP_NAMESPACE } from '../../jobs/backups/metrics';
import { backupsPrefix, drillsPrefix } from '../../jobs/backups/manifest';
import { storagePrefix } from '../../jobs/backups/storage-copy';
import { TASK_ENV } from '../../jobs/backups/settings';
import type { BackupsConfig } from '../config/backups';

/** 1 vCPU / 2 GiB on ARM: pg_dump compresses on one core; the drill's PostgreSQL fits in the rest. */
export const TASK_CPU = 1024;
export const TASK_MEMORY_MIB = 2048;
/** The task's disk: the drill downloads a backup and restores it here. 21 GiB is Fargate's free minimum. */
export const TASK_EPHEMERAL_GIB = 21;
/** Where the image keeps Supabase's CA bundle (lib/backups/image/Dockerfile copies it there). */
export const CA_BUNDLE_PATH = '/etc/miko/supabase-prod-ca-2021.crt';

export type BackupJob = 'backup' | 'drill';

export interface BackupTaskProps {
  readonly envName: string;
  readonly job: BackupJob;
  readonly backups: BackupsConfig;
  readonly repository: ecr.IRepository;
  /** The image's digest (sha256:…), a parameter the deploy workflow fills after pushing it. */
  readonly imageDigest: string;
  readonly vault: s3.IBucket;
  readonly key: kms.IKey;
  /** The secrets ECS injects at start, by the environment variable each lands in. */
  readonly secrets: Record<string, ecs.Secret>;
  /** Supabase Storage's S3 endpoint (backup task only). */
  readonly storageEndpoint?: string;
  readonly removalPolicy: RemovalPolicy;
}

export class BackupTask extends Construct {
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: BackupTaskProps) {
    super(scope, id);
    const { region } = Stack.of(this);
    const prefix = backupsPrefix(props.envName);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.ONE_YEAR,
      encryptionKey: props.key,
      removalPolicy: props.removalPolicy,
    });

    const taskRole = new iam.Role(this, 'TaskRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: `MiKO ${props.envName}: the ${props.job} task (vault ${props.job === 'backup' ? 'write + read' : 'read, its reports'}, metrics)`,
    });
    const executionRole = new iam.Role(this, 'ExecutionRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: `MiKO ${props.envName}: starts the ${props.job} task (image pull, logs, its secrets)`,
    });

    const storage = storagePrefix(props.envName);
    const objects = [props.vault.arnForObjects(`${prefix}*`), props.vault.arnForObjects(`${storage}*`)];
    const vaultActions =
      props.job === 'backup'
        ? ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts']
        : ['s3:GetObject'];
    taskRole.addToPolicy(
      new iam.PolicyStatement({ sid: 'VaultObjectsOfThisEnvironment', actions: vaultActions, resources: objects }),
    );
    taskRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ListThisEnvironmentsBackups',
        actions: ['s3:ListBucket'],
        resources: [props.vault.bucketArn],
        // The drill also lists the photo blobs, to prove every one is present.
        conditions: {
          StringLike: { 's3:prefix': props.job === 'drill' ? [`${prefix}*`, `${storage}*`] : [`${prefix}*`] },
        },
      }),
    );
    if (props.job === 'drill') {
      // Its report only, beside (never among) the backups: the drill cannot write a backup.
      taskRole.addToPolicy(
        new iam.PolicyStatement({
          sid: 'WriteDrillReports',
          actions: ['s3:PutObject'],
          resources: [props.vault.arnForObjects(`${drillsPrefix(props.envName)}*`)],
        }),
      );
    }
    // Both jobs write (the backup its dump, the drill its report): S3 asks KMS for a data key as the writer.
    taskRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'VaultEncryptionThroughS3',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [props.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` } },
      }),
    );
    taskRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'PublishBackupMetrics',
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': BACKUP_NAMESPACE } },
      }),
    );

    if (Object.keys(props.secrets).length > 0) {
      // The secret is encrypted under the platform key, whose policy admits use only through Secrets Manager.
      executionRole.addToPolicy(
        new iam.PolicyStatement({
          sid: 'DecryptItsSecretsThroughSecretsManager',
          actions: ['kms:Decrypt'],
          resources: [props.key.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${region}.amazonaws.com` } },
        }),
      );
    }

    props.repository.grantPull(executionRole);
    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
      family: `miko-${props.envName}-${props.job}`,
      cpu: TASK_CPU,
      memoryLimitMiB: TASK_MEMORY_MIB,
      ephemeralStorageGiB: TASK_EPHEMERAL_GIB,
      runtimePlatform: {
        cpuArchitecture: ecs.CpuArchitecture.ARM64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
      taskRole,
      executionRole,
    });
    const { database } = props.backups;
    this.taskDefinition.addContainer('Job', {
      containerName: props.job,
      // By digest, not tag: the task runs exactly the bytes the deploy built from this commit.
      image: ecs.ContainerImage.fromRegistry(props.repository.repositoryUriForDigest(props.imageDigest)),
      command: [props.job],
      essential: true,
      logging: ecs.LogDrivers.awsLogs({ logGroup: this.logGroup, streamPrefix: props.job }),
      environment: {
        [TASK_ENV.envName]: props.envName,
        [TASK_ENV.bucket]: props.vault.bucketName,
        ...(props.job === 'backup'
          ? {
              [TASK_ENV.schemas]: props.backups.schemas.join(','),
              [TASK_ENV.host]: database.host,
              [TASK_ENV.port]: String(database.port),
              [TASK_ENV.database]: database.name,
              [TASK_ENV.user]: database.user,
              [TASK_ENV.caFile]: CA_BUNDLE_PATH,
              [TASK_ENV.storageBuckets]: props.backups.storage.buckets.join(','),
              [TASK_ENV.storageRegion]: props.backups.storage.region,
              [TASK_ENV.storageEndpoint]: props.storageEndpoint!,
            }
          : {}),
      },
      secrets: props.secrets,
      // initdb and the restore write under /tmp and the data directory; the rest of the image stays as built.
      readonlyRootFilesystem: false,
      stopTimeout: Duration.seconds(30),
    });

    const defaultPolicyOf = (role: iam.Role) => role.node.findChild('DefaultPolicy');
    Validations.of(defaultPolicyOf(taskRole)).acknowledge(
      {
        id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
        reason:
          'Only cloudwatch:PutMetricData has "*" (it has no resource type); a condition limits it to the MiKO/Backups namespace.',
      },
      {
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:aws:s3:::${props.vault.bucketName}/${prefix}*]`,
        reason: `Backups get generated run ids as keys; the wildcard never leaves this environment's prefix (${prefix}).`,
      },
      {
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:aws:s3:::${props.vault.bucketName}/${storage}*]`,
        reason: `Photos are kept by their SHA-256; the wildcard never leaves this environment's storage prefix (${storage}).`,
      },
      ...(props.job === 'drill'
        ? [
            {
              id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:aws:s3:::${props.vault.bucketName}/${drillsPrefix(props.envName)}*]`,
              reason:
                "Drill reports are named by their finish time; the wildcard stays inside this environment's drills/ prefix.",
            },
          ]
        : []),
      {
        id: 'HIPAA.Security::HIPAA.Security-IAMNoInlinePolicy',
        reason: 'Grants used by this one task only; no other principal shares them.',
      },
      {
        id: 'NIST.800.53.R5::NIST.800.53.R5-IAMNoInlinePolicy',
        reason: 'Grants used by this one task only; no other principal shares them.',
      },
    );
    Validations.of(defaultPolicyOf(executionRole)).acknowledge(
      {
        id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
        reason:
          "ecr:GetAuthorizationToken has no resource type; the image pull itself is limited to this environment's repository.",
      },
      { id: 'HIPAA.Security::HIPAA.Security-IAMNoInlinePolicy', reason: "Grants used by this one task's start only." },
      { id: 'NIST.800.53.R5::NIST.800.53.R5-IAMNoInlinePolicy', reason: "Grants used by this one task's start only." },
    );
    Validations.of(this.taskDefinition).acknowledge({
      id: 'AwsSolutions::AwsSolutions-ECS2',
      reason:
        'The environment holds settings and names (host, user, bucket, CA path), never a credential; the password comes from Secrets Manager through `secrets`.',
    });
  }
}
