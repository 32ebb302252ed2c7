/** The synthetic prober's calls (synthetic-prober.ts): started every minute by EventBridge, probes with a token. */
import { platformFunctionPaths } from '../shared/platform-function.paths';
import { everySecretBut, PathCatalogue, resource, role, secret, service } from '../shared/runtime-paths';

const prober = role('Monitoring', 'SyntheticsProberRole');

export const catalogue: PathCatalogue = {
  paths: [
    ...platformFunctionPaths('prober', 'Monitoring', 'SyntheticsProber'),
    {
      id: 'schedule-starts-prober',
      what: 'the every-minute rule starts the prober',
      principal: service('events.amazonaws.com', resource('Monitoring', 'SyntheticsEveryMinute')),
      actions: ['lambda:InvokeFunction'],
      resource: resource('Monitoring', 'SyntheticsProberFunction'),
    },
    {
      id: 'prober-reads-probe-token',
      what: 'the prober reads the probe token it sends to /health/db and /health/apis',
      principal: prober,
      actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      resource: secret('prober-health-token'),
    },
    {
      id: 'prober-publishes-metrics',
      what: 'the prober publishes its probe results to MiKO/Synthetics',
      principal: prober,
      actions: ['cloudwatch:PutMetricData'],
      resource: '*',
      context: { 'cloudwatch:namespace': 'MiKO/Synthetics' },
      wildcardReason:
        'PutMetricData names no metric as a resource (only CloudWatch datasets, which these are not); the namespace condition limits it.',
    },
  ],
  forbidden: [
    {
      id: 'prober-reads-no-other-secret',
      what: 'the prober reads no secret but the probe token',
      principal: prober,
      actions: ['secretsmanager:GetSecretValue'],
      resource: everySecretBut('prober-health-token'),
    },
    {
      id: 'prober-reads-no-backup',
      what: 'the prober reads no backup',
      principal: prober,
      actions: ['s3:GetObject'],
      resource: resource('Data', 'BackupVaultBucket', { suffix: '/backups/{env}/2026-01-01T03-15-00Z/dump.sql.gz' }),
    },
  ],
};
