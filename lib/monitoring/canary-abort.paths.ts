/**
 * The canary abort function's calls (canary-abort.ts), production only (staging runs no canary): its alarms invoke
 * it directly; it reads and sets the canary's weight in the release store, tells on-call on the warning topic (SNS
 * uses the platform key on its behalf: derived) and appends the abort to the audit trail. It reads no secret.
 */
import { auditAppendPaths, auditTamperPaths } from '../data/audit-grants.paths';
import { platformFunctionPaths } from '../shared/platform-function.paths';
import { PathCatalogue, resource, role } from '../shared/runtime-paths';

const abort = role('Monitoring', 'CanaryAbortFunctionRole');
const optional = true;

export const catalogue: PathCatalogue = {
  paths: [
    ...platformFunctionPaths('canary-abort', 'Monitoring', 'CanaryAbortFunction', { optional }),
    ...(['Alarmwarningcanarysitedown', 'Alarmwarningcanarycheckfailed'] as const).map((alarm) => ({
      id: `canary-abort-invoked-by-${alarm.slice('Alarmwarning'.length)}`,
      what: 'the canary alarm invokes the abort function directly when it goes to ALARM (a Lambda alarm action)',
      principal: {
        service: 'lambda.alarms.cloudwatch.amazonaws.com',
        sourceArn: resource('Monitoring', `CanaryAbort${alarm}`),
        sourceAccount: true,
      },
      actions: ['lambda:InvokeFunction'],
      resource: resource('Monitoring', 'CanaryAbortFunction'),
      optional,
    })),
    {
      id: 'canary-abort-sets-weight',
      what: "the abort function reads the release state and sets the canary's weight to 0 in one conditional write",
      principal: abort,
      actions: [
        'cloudfront-keyvaluestore:DescribeKeyValueStore',
        'cloudfront-keyvaluestore:GetKey',
        'cloudfront-keyvaluestore:UpdateKeys',
      ],
      resource: resource('Site', 'RoutingReleasePointer'),
      optional,
    },
    {
      id: 'canary-abort-tells-on-call',
      what: 'the abort function tells on-call on the warning topic',
      principal: abort,
      actions: ['sns:Publish'],
      resource: resource('Monitoring', 'TopicsWarning'),
      wildcardReason:
        'SNS asks for GenerateDataKey with varying suffixes (kms:GenerateDataKey*); the platform key only, through SNS only.',
      optional,
    },
    ...auditAppendPaths('canary-abort', abort, { optional }),
  ],
  forbidden: [
    {
      id: 'canary-abort-reads-no-secret',
      what: 'the abort function reads no secret',
      principal: abort,
      actions: ['secretsmanager:GetSecretValue'],
      resource: { every: 'AWS::SecretsManager::Secret' },
      optional,
    },
    {
      id: 'canary-abort-pages-nobody',
      what: 'an abort is a warning: the abort function cannot publish to the critical topic',
      principal: abort,
      actions: ['sns:Publish'],
      resource: resource('Monitoring', 'TopicsCritical'),
      optional,
    },
    {
      id: 'canary-abort-reads-no-backup',
      what: 'the abort function reads no backup',
      principal: abort,
      actions: ['s3:GetObject'],
      resource: resource('Data', 'BackupVaultBucket', { suffix: '/backups/{env}/2026-01-01T03-15-00Z/dump.sql.gz' }),
      optional,
    },
    ...auditTamperPaths('canary-abort', abort, optional),
  ],
};
