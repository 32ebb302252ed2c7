/**
 * One SNS topic per severity, encrypted with the platform's customer-managed key (CloudWatch cannot publish to a
 * topic under alias/aws/sns), and their subscriptions from config: critical → the pager's HTTPS integration and
 * email; warning → email; both → Slack through AWS Chatbot when configured. Staging pages nobody unless configured.
 */
import { SecretValue, Stack } from 'aws-cdk-lib';
import * as chatbot from 'aws-cdk-lib/aws-chatbot';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import { secretName } from '../secrets/inventory';

export type Severity = 'critical' | 'warning';

export interface AlarmTopicsProps {
  readonly envName: EnvironmentConfig['envName'];
  readonly alarms: EnvironmentConfig['alarms'];
  readonly key: kms.IKey;
}

export class AlarmTopics extends Construct {
  readonly critical: sns.Topic;
  readonly warning: sns.Topic;

  constructor(scope: Construct, id: string, props: AlarmTopicsProps) {
    super(scope, id);
    this.critical = this.createTopic('Critical', props);
    this.warning = this.createTopic('Warning', props);
    this.subscribePager(props);
    props.alarms.criticalEmails.forEach((email) => this.critical.addSubscription(new subscriptions.EmailSubscription(email)));
    props.alarms.warningEmails.forEach((email) => this.warning.addSubscription(new subscriptions.EmailSubscription(email)));
    this.subscribeSlack(props);
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
    topic.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CloudWatchAlarmsOfThisAccountPublish',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
    }));
    return topic;
  }

  /**
   * The pager's endpoint URL embeds its integration key, so it lives in Secrets Manager and reaches the
   * subscription as a `{{resolve:secretsmanager:…}}` dynamic reference: resolved by CloudFormation at deploy, never
   * in the template. HTTPS subscriptions get the alarm and its OK, so incidents resolve themselves.
   */
  private subscribePager(props: AlarmTopicsProps): void {
    if (!props.alarms.pageOnCall || !props.alarms.pager) return;
    const endpoint = SecretValue.secretsManager(secretName(props.envName, props.alarms.pager.secret), { jsonField: props.alarms.pager.jsonField });
    new sns.Subscription(this, 'PagerSubscription', {
      topic: this.critical,
      protocol: sns.SubscriptionProtocol.HTTPS,
      endpoint: endpoint.unsafeUnwrap(), // a dynamic reference, not the value
      rawMessageDelivery: false,
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
