/**
 * Every 15 minutes: the age in hours of the newest backup manifest in the vault (BackupAgeHours) and of the newest
 * passing drill report (RestoreDrillAgeHours). Measured at
 * the vault (the source of truth) rather than reported by the job, so a job that never starts still ages.
 */
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { join } from 'node:path';
import { backupsPrefix, drillsPrefix } from '../../jobs/backups/manifest';
import { BACKUP_NAMESPACE } from '../../jobs/backups/metrics';
import { PlatformFunction } from '../shared/platform-function';

/** How often the age is measured: the missing-backup alarm's worst-case lag past its threshold. */
export const BACKUP_AGE_SCHEDULE_MINUTES = 15;

export interface BackupAgeFunctionProps {
  readonly envName: string;
  readonly vault: s3.IBucket;
  readonly key: kms.IKey;
  readonly removalPolicy: RemovalPolicy;
}

export class BackupAgeFunction extends Construct {
  readonly function: PlatformFunction;

  constructor(scope: Construct, id: string, props: BackupAgeFunctionProps) {
    super(scope, id);
    const prefix = backupsPrefix(props.envName);
    this.function = new PlatformFunction(this, 'Function', {
      entry: join(__dirname, '..', '..', 'lambda', 'backup-age', 'handler.ts'),
      description:
        'Publishes the age of the newest backup and of the newest passing drill (reads manifests and drill reports only)',
      timeout: Duration.seconds(60),
      key: props.key,
      reservedConcurrentExecutions: 1,
      removalPolicy: props.removalPolicy,
      environment: { BACKUP_ENVIRONMENT: props.envName, BACKUP_VAULT_BUCKET: props.vault.bucketName },
      outsideVpcReason: 'It calls only S3 and CloudWatch APIs; a VPC would add endpoints or a NAT for nothing.',
      noDeadLetterQueueReason:
        'Invoked by a schedule every 15 minutes; a failed run publishes nothing, which the missing-backup alarm treats as breaching.',
    });
    const drills = drillsPrefix(props.envName);
    this.function.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [props.vault.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${prefix}*`, `${drills}*`] } },
      }),
    );
    this.function.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [props.vault.arnForObjects(`${prefix}*/manifest.json`), props.vault.arnForObjects(`${drills}*`)],
      }),
    );
    this.function.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [props.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${Stack.of(this).region}.amazonaws.com` } },
      }),
    );
    this.function.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': BACKUP_NAMESPACE } },
      }),
    );
    Validations.of(this.function.role.node.findChild('DefaultPolicy')).acknowledge(
      {
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:aws:s3:::${props.vault.bucketName}/${prefix}*/manifest.json]`,
        reason:
          'Manifests sit under generated run ids; the wildcard matches only manifest.json files of this environment.',
      },
      {
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:aws:s3:::${props.vault.bucketName}/${drills}*]`,
        reason:
          "Drill reports are named by their finish time; the wildcard stays inside this environment's drills/ prefix.",
      },
    );
    new events.Rule(this, 'Schedule', {
      description: 'Publish the age of the newest backup',
      schedule: events.Schedule.rate(Duration.minutes(BACKUP_AGE_SCHEDULE_MINUTES)),
      targets: [new eventTargets.LambdaFunction(this.function.function, { retryAttempts: 2 })],
    });
  }
}
