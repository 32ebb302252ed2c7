/**
 * When the tasks run: the nightly backup and the weekly drill, as EventBridge Scheduler schedules in UTC that run
 * a Fargate task. A missed or failed run is caught by the alarms (age > 26 h, drill failed), not by retries that
 * could overlap the next run.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import type { BackupsConfig } from '../config/backups';
import type { BackupNetwork } from './backup-network';

export interface BackupSchedulesProps {
  readonly envName: string;
  readonly cluster: ecs.ICluster;
  readonly network: BackupNetwork;
  readonly backups: Pick<BackupsConfig, 'backupSchedule' | 'drillSchedule'>;
  readonly backupTask: ecs.FargateTaskDefinition;
  readonly drillTask: ecs.FargateTaskDefinition;
  readonly key: kms.IKey;
}

export class BackupSchedules extends Construct {
  readonly backup: scheduler.Schedule;
  readonly drill: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: BackupSchedulesProps) {
    super(scope, id);
    // One role for both schedules, ours rather than CDK's generated one, so its acknowledgments sit on it.
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com'),
      description: `MiKO ${props.envName}: starts the backup and drill tasks`,
    });
    const target = (taskDefinition: ecs.FargateTaskDefinition, securityGroup: ec2.ISecurityGroup) =>
      new targets.EcsRunFargateTask(props.cluster, {
        taskDefinition,
        role,
        vpcSubnets: props.network.taskSubnets,
        securityGroups: [securityGroup],
        assignPublicIp: props.network.assignPublicIp,
        platformVersion: ecs.FargatePlatformVersion.LATEST,
        propagateTags: true,
        // Scheduler retries a task that could not start (capacity, throttling); a run that fails is alarmed, not
        // retried, so two runs never overlap.
        retryAttempts: 2,
      });
    this.backup = new scheduler.Schedule(this, 'Backup', {
      scheduleName: `miko-${props.envName}-backup`,
      description: 'Nightly pg_dump of the Supabase database into the vault',
      schedule: scheduler.ScheduleExpression.expression(props.backups.backupSchedule),
      target: target(props.backupTask, props.network.securityGroup),
    });
    this.drill = new scheduler.Schedule(this, 'Drill', {
      scheduleName: `miko-${props.envName}-restore-drill`,
      description: 'Weekly: restore the newest backup into a throwaway PostgreSQL and verify it',
      schedule: scheduler.ScheduleExpression.expression(props.backups.drillSchedule),
      target: target(props.drillTask, props.network.awsOnlySecurityGroup),
    });
    Validations.of(role.node.findChild('DefaultPolicy')).acknowledge(
      {
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:aws:ecs:${Stack.of(this).region}:${Stack.of(this).account}:task/<${Stack.of(this).getLogicalId(props.cluster.node.defaultChild as ecs.CfnCluster)}>/*]`,
        reason: 'Tagging the tasks it starts: task ids are generated, and the wildcard stays inside this cluster.',
      },
      {
        id: 'HIPAA.Security::HIPAA.Security-IAMNoInlinePolicy',
        reason: 'Grants used by these two schedules only (RunTask of two task definitions, PassRole of their roles).',
      },
      {
        id: 'NIST.800.53.R5::NIST.800.53.R5-IAMNoInlinePolicy',
        reason: 'Grants used by these two schedules only (RunTask of two task definitions, PassRole of their roles).',
      },
    );
  }
}
