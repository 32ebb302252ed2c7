/** The health API's calls (health-stack.ts): CloudFront invokes it through its URL (OAC); it reads its checks' keys. */
import { platformFunctionPaths } from '../shared/platform-function.paths';
import { everySecretBut, PathCatalogue, resource, role, secret, service } from '../shared/runtime-paths';

const ourDistribution = service('cloudfront.amazonaws.com', resource('Site', 'SiteDistribution'));

export const HEALTH_SECRETS = ['supabase-health-key', 'n8n-api-key', 'google-api-key', 'prober-health-token'];

export const catalogue: PathCatalogue = {
  paths: [
    ...platformFunctionPaths('health', 'Health', 'HealthApi'),
    {
      id: 'cloudfront-invokes-health-url',
      what: "our distribution calls the health API's function URL, signed by OAC",
      principal: ourDistribution,
      actions: ['lambda:InvokeFunctionUrl'],
      resource: resource('Health', 'HealthApiFunction'),
      context: { 'lambda:FunctionUrlAuthType': 'AWS_IAM' },
    },
    {
      id: 'cloudfront-invokes-health-function',
      what: 'and the function behind that URL (Lambda checks both since October 2025)',
      principal: ourDistribution,
      actions: ['lambda:InvokeFunction'],
      resource: resource('Health', 'HealthApiFunction'),
      context: { 'lambda:InvokedViaFunctionUrl': 'true' },
    },
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
