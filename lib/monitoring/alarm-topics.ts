/**
 * One SNS topic per severity under the platform's customer-managed key (CloudWatch cannot publish to a topic under
 * alias/aws/sns), subscribed from config (pager-subscriber.ts for the pager; email; Slack via
 * AWS Chatbot). Undeliverable messages go to one KMS-encrypted dead-letter queue
 * whose depth is a critical alarm, so a lost page reaches the critical topic's other subscribers.
 */
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as chatbot from 'aws-cdk-lib/aws-chatbot';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import { PagerSubscriber } from './pager-subscriber';
import { createPlatformAlarm, Severity, SeverityTopics } from './platform-alarm';

export type { Severity };

export interface AlarmTopicsProps {
  readonly envName: EnvironmentConfig['envName'];
  readonly alarms: EnvironmentConfig['alarms'];
  readonly key: kms.IKey;
  /** Where the alarms' runbook paths resolve, for the pager's incident link. */
  readonly runbookBaseUrl?: string;
}

export class AlarmTopics extends Construct implements SeverityTopics {
  readonly critical: sns.Topic;
  readonly warning: sns.Topic;
  /** Where SNS (and the pager Lambda, after its retries) leaves alerts it could not deliver. */
  readonly deadLetters: sqs.Queue;
  readonly deadLettersAlarm: cloudwatch.Alarm;
  readonly pager?: PagerSubscriber;

  constructor(scope: Construct, id: string, props: AlarmTopicsProps) {
    super(scope, id);
    this.critical = this.createTopic('Critical', props);
    this.warning = this.createTopic('Warning', props);
    this.deadLetters = new sqs.Queue(this, 'UndeliveredAlerts', {
      queueName: `miko-${props.envName}-undelivered-alerts`,
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      // Two weeks: SQS's longest, time for a person to read what was not delivered and why.
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetters).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SQS3',
      reason:
        'It is the dead-letter queue of the alert subscriptions (SNS redrive policies, which cdk-nag does not follow); a dead-letter queue needs none of its own.',
    });
    this.pager = this.subscribePager(props);
    const deadLetterQueue = this.deadLetters;
    props.alarms.criticalEmails.forEach((email) =>
      this.critical.addSubscription(new subscriptions.EmailSubscription(email, { deadLetterQueue })),
    );
    props.alarms.warningEmails.forEach((email) =>
      this.warning.addSubscription(new subscriptions.EmailSubscription(email, { deadLetterQueue })),
    );
    this.subscribeSlack(props);
    this.deadLettersAlarm = this.alarmOnDeadLetters(props);
  }

  topic(severity: Severity): sns.Topic {
    return severity === 'critical' ? this.critical : this.warning;
  }

  private createTopic(severity: string, props: AlarmTopicsProps): sns.Topic {
    const topic = new sns.Topic(this, severity, {
      topicName: `miko-${props.envName}-${severity.toLowerCase()}`,
      displayName: `MiKO ${props.envName} ${severity.toLowerCase()}`,
      masterKey: props.key,
      enforceSSL: true,
    });
    // Alarms of this account only (the confused-deputy guard a service principal needs).
    const { account, region } = Stack.of(this);
    topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsOfThisAccountPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': account },
          ArnLike: { 'aws:SourceArn': `arn:aws:cloudwatch:${region}:${account}:alarm:*` },
        },
      }),
    );
    return topic;
  }

  /** The pager's key stays in Secrets Manager: only the subscriber Lambda reads it (pager-subscriber.ts). */
  private subscribePager(props: AlarmTopicsProps): PagerSubscriber | undefined {
    if (!props.alarms.pageOnCall || !props.alarms.pager) return undefined;
    return new PagerSubscriber(this, 'Pager', {
      envName: props.envName,
      topic: this.critical,
      key: props.key,
      deadLetterQueue: this.deadLetters,
      secret: props.alarms.pager.secret,
      jsonField: props.alarms.pager.jsonField,
      eventsUrl: props.alarms.pager.eventsUrl,
      runbookBaseUrl: props.runbookBaseUrl,
    });
  }

  /** Any undelivered alert is an alert nobody got: critical. */
  private alarmOnDeadLetters(props: AlarmTopicsProps): cloudwatch.Alarm {
    return createPlatformAlarm(this, props.envName, this, {
      slug: 'undelivered-alerts',
      severity: 'critical',
      why: `An alert could not be delivered to a subscription (pager, email) and waits in the queue miko-${props.envName}-undelivered-alerts: read it there, fix the subscription.`,
      runbook: 'undelivered-alerts',
      metric: this.deadLetters.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: 1,
      comparison: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      missingDataWhy: 'SQS reports every minute while the queue exists.',
      constructId: 'UndeliveredAlertsAlarm',
    });
  }

  private subscribeSlack(props: AlarmTopicsProps): void {
    if (!props.alarms.slack) return;
    new chatbot.SlackChannelConfiguration(this, 'Slack', {
      slackChannelConfigurationName: `miko-${props.envName}-alarms`,
      slackWorkspaceId: props.alarms.slack.workspaceId,
      slackChannelId: props.alarms.slack.channelId,
      notificationTopics: [this.critical, this.warning],
      // Read-only in the channel: nobody runs commands against production from Slack.
      guardrailPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess')],
    });
  }
}
