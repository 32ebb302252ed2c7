/**
 * The collector's calls (telemetry-stack.ts): CloudFront invokes it through its URL (OAC); it leases the event budget, records new error
 * kinds and sends capped notices to the warning topic (SNS uses the platform key on its behalf: derived).
 */
import { functionUrlOriginPaths } from '../site/distribution.paths';
import { platformFunctionPaths } from '../shared/platform-function.paths';
import { PathCatalogue, resource, role } from '../shared/runtime-paths';

const collector = role('Telemetry', 'CollectorRole');

export const catalogue: PathCatalogue = {
  paths: [
    ...platformFunctionPaths('collector', 'Telemetry', 'Collector'),
    ...functionUrlOriginPaths('collector', 'Telemetry', 'CollectorFunction'),
    {
      id: 'collector-records-error-kind',
      what: 'the collector records an error kind it has not seen (a conditional put)',
      principal: collector,
      actions: ['dynamodb:PutItem'],
      resource: resource('Telemetry', 'ErrorKindsTable'),
    },
    {
      id: 'collector-leases-event-budget',
      what: "the collector leases a block of the minute's event budget (a conditional update, shared by every instance)",
      principal: collector,
      actions: ['dynamodb:UpdateItem'],
      resource: resource('Telemetry', 'ErrorKindsTable'),
    },
    {
      id: 'collector-sends-notice',
      what: 'the collector sends a capped notice of a new error kind to the warning topic',
      principal: collector,
      actions: ['sns:Publish'],
      resource: resource('Monitoring', 'TopicsWarning'),
      wildcardReason:
        "the key grant names kms:GenerateDataKey* (GenerateDataKey and its WithoutPlaintext form) as CDK's topic grant does; usable only through SNS.",
    },
  ],
  forbidden: [
    {
      id: 'collector-pages-nobody',
      what: 'what a browser sends never reaches the critical topic through the collector',
      principal: collector,
      actions: ['sns:Publish'],
      resource: resource('Monitoring', 'TopicsCritical'),
    },
    {
      id: 'collector-reads-no-secret',
      what: 'the collector reads no secret',
      principal: collector,
      actions: ['secretsmanager:GetSecretValue'],
      resource: { every: 'AWS::SecretsManager::Secret' },
    },
    {
      id: 'collector-reads-no-backup',
      what: 'the collector reads no backup',
      principal: collector,
      actions: ['s3:GetObject'],
      resource: resource('Data', 'BackupVaultBucket', { suffix: '/backups/{env}/2026-01-01/manifest.json' }),
    },
    {
      id: 'collector-lists-no-backup',
      what: 'the collector cannot list the backups',
      principal: collector,
      actions: ['s3:ListBucket'],
      resource: resource('Data', 'BackupVaultBucket'),
    },
  ],
};
