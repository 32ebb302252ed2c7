/** Rotation alerts' calls (rotation-alerts.ts): the failed-rotation rule pages; the hourly age check reads metadata. */
import { platformFunctionPaths } from '../shared/platform-function.paths';
import { PathCatalogue, resource, role, service } from '../shared/runtime-paths';

export const catalogue: PathCatalogue = {
  paths: [
    {
      id: 'rotation-failed-rule-pages',
      what: "EventBridge delivers Secrets Manager's RotationFailed/RotationAbandoned events to the critical topic",
      principal: service('events.amazonaws.com', resource('Monitoring', 'RotationAlertsRotationFailed')),
      actions: ['sns:Publish'],
      resource: resource('Monitoring', 'TopicsCritical'),
    },
    ...platformFunctionPaths('secret-age', 'Monitoring', 'RotationAlertsSecretAge', { tracing: false }),
    {
      id: 'schedule-starts-secret-age',
      what: 'the hourly rule starts the secret-age check',
      principal: service('events.amazonaws.com', resource('Monitoring', 'RotationAlertsSecretAgeSchedule')),
      actions: ['lambda:InvokeFunction'],
      resource: resource('Monitoring', 'RotationAlertsSecretAgeFunction'),
    },
    {
      id: 'secret-age-reads-metadata',
      what: "the secret-age check reads every secret's last rotation date (metadata, never a value)",
      principal: role('Monitoring', 'RotationAlertsSecretAgeRole'),
      actions: ['secretsmanager:DescribeSecret'],
      resource: { every: 'AWS::SecretsManager::Secret' },
    },
    {
      id: 'secret-age-publishes-metrics',
      what: 'the secret-age check publishes how many secrets are overdue to MiKO/Secrets',
      principal: role('Monitoring', 'RotationAlertsSecretAgeRole'),
      actions: ['cloudwatch:PutMetricData'],
      resource: '*',
      context: { 'cloudwatch:namespace': 'MiKO/Secrets' },
      wildcardReason:
        'PutMetricData names no metric as a resource (only CloudWatch datasets, which these are not); the namespace condition limits it.',
    },
  ],
  forbidden: [
    {
      id: 'secret-age-reads-no-value',
      what: 'the secret-age check reads no secret value',
      principal: role('Monitoring', 'RotationAlertsSecretAgeRole'),
      actions: ['secretsmanager:GetSecretValue'],
      resource: { every: 'AWS::SecretsManager::Secret' },
    },
  ],
};
