/** The health API's calls (health-stack.ts): CloudFront invokes it through its URL (OAC); it reads its checks' keys. */
import { functionUrlOriginPaths } from '../site/distribution.paths';
import { platformFunctionPaths } from '../shared/platform-function.paths';
import { everySecretBut, PathCatalogue, resource, role, secret } from '../shared/runtime-paths';

export const HEALTH_SECRETS = ['supabase-health-key', 'n8n-api-key', 'google-api-key', 'prober-health-token'];

export const catalogue: PathCatalogue = {
  paths: [
    ...platformFunctionPaths('health', 'Health', 'HealthApi'),
    ...functionUrlOriginPaths('health', 'Health', 'HealthApiFunction'),
    ...HEALTH_SECRETS.map((name) => ({
      id: `health-reads-${name}`,
      what: `the deep health checks read ${name}`,
      principal: role('Health', 'HealthApiRole'),
      actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      resource: secret(name),
    })),
  ],
  forbidden: [
    {
      id: 'health-reads-no-other-secret',
      what: "the health API reads no secret but its checks' keys",
      principal: role('Health', 'HealthApiRole'),
      actions: ['secretsmanager:GetSecretValue'],
      resource: everySecretBut(...HEALTH_SECRETS),
    },
    {
      id: 'health-reads-no-backup',
      what: 'the health API reads no backup',
      principal: role('Health', 'HealthApiRole'),
      actions: ['s3:GetObject'],
      resource: resource('Data', 'BackupVaultBucket', { suffix: '/backups/{env}/2026-01-01T03-15-00Z/dump.sql.gz' }),
    },
  ],
};
