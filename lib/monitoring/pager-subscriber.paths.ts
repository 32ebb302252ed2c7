/**
 * The pager subscriber's calls (pager-subscriber.ts). Staging pages nobody unless configured: optional there. Its
 * dead-letter path (TopicsPagerFunction-dead-letter) follows from the function's DeadLetterConfig (derived-paths.ts).
 */
import { platformFunctionPaths } from '../shared/platform-function.paths';
import { everySecretBut, PathCatalogue, resource, role, secret, service } from '../shared/runtime-paths';

const pager = role('Monitoring', 'TopicsPagerRole');

export const catalogue: PathCatalogue = {
  paths: [
    ...platformFunctionPaths('pager', 'Monitoring', 'TopicsPager', { optional: true }),
    {
      id: 'critical-topic-invokes-pager',
      what: 'SNS delivers each critical alarm to the pager function',
      principal: service('sns.amazonaws.com', resource('Monitoring', 'TopicsCritical')),
      actions: ['lambda:InvokeFunction'],
      resource: resource('Monitoring', 'TopicsPagerFunction'),
      optional: true,
    },
    {
      id: 'pager-reads-its-key',
      what: "the pager function reads the pager's integration key (and only that secret)",
      principal: pager,
      actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      resource: secret('pager-integration-key'),
      optional: true,
    },
  ],
  forbidden: [
    {
      id: 'pager-reads-no-other-secret',
      what: 'the pager reads no secret but its integration key',
      principal: pager,
      actions: ['secretsmanager:GetSecretValue'],
      resource: everySecretBut('pager-integration-key'),
      optional: true,
    },
    {
      id: 'pager-reads-no-backup',
      what: 'the pager reads no backup',
      principal: pager,
      actions: ['s3:GetObject'],
      resource: resource('Data', 'BackupVaultBucket', { suffix: '/backups/{env}/2026-01-01T03-15-00Z/dump.sql.gz' }),
      optional: true,
    },
  ],
};
