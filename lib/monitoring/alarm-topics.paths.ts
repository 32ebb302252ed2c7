/**
 * How alarms reach people (alarm-topics.ts): CloudWatch alarms of this account publish to both topics, which the
 * platform key encrypts, so CloudWatch itself must be able to use the key (the KMS leg is derived). Undelivered
 * messages go to the dead-letter queue (derived from each subscription's redrive policy).
 */
import { PathCatalogue, resource, service } from '../shared/runtime-paths';

const anAlarm = 'arn:aws:cloudwatch:{region}:{account}:alarm:miko-{env}-critical-undelivered-alerts';

export const catalogue: PathCatalogue = {
  paths: [
    {
      id: 'alarm-publishes-critical',
      what: 'a CloudWatch alarm of this account publishes its state change to the critical topic',
      principal: service('cloudwatch.amazonaws.com', anAlarm),
      actions: ['sns:Publish'],
      resource: resource('Monitoring', 'TopicsCritical'),
    },
    {
      id: 'alarm-publishes-warning',
      what: 'a CloudWatch alarm of this account publishes its state change to the warning topic',
      principal: service('cloudwatch.amazonaws.com', anAlarm),
      actions: ['sns:Publish'],
      resource: resource('Monitoring', 'TopicsWarning'),
    },
  ],
  forbidden: [
    {
      id: 'other-accounts-alarm-publishes',
      what: "another account's alarm cannot publish to our topics (the confused-deputy guard)",
      principal: {
        service: 'cloudwatch.amazonaws.com',
        sourceArn: 'arn:aws:cloudwatch:{region}:999999999999:alarm:theirs',
      },
      context: { 'aws:SourceAccount': '999999999999' },
      actions: ['sns:Publish'],
      resource: resource('Monitoring', 'TopicsCritical'),
    },
  ],
};
