/**
 * The backup and restore-drill tasks' calls (backup-task.ts): ECS pulls the image and injects the database
 * password as the execution role; the task writes and reads the vault as the task role (S3 uses the platform key
 * on its behalf: derived). Neither can delete a backup, shorten its retention or lift its lock.
 */
import { logStream, PathCatalogue, resource, role, RuntimePath, secret, service } from '../shared/runtime-paths';

const vault = 'arn:aws:s3:::miko-{env}-backups-{account}';
const backupObject = `${vault}/backups/{env}/2026-01-01T03-15-00Z/dump.sql.gz`;

function taskPaths(task: 'BackupTask' | 'DrillTask'): RuntimePath[] {
  const name = task === 'BackupTask' ? 'backup' : 'drill';
  return [
    ...(['TaskRole', 'ExecutionRole'] as const).map((kind) => ({
      id: `${name}-${kind === 'TaskRole' ? 'task' : 'execution'}-role-assumed-by-ecs`,
      what: `ECS runs the ${name} task with its ${kind === 'TaskRole' ? 'task' : 'execution'} role`,
      principal: service('ecs-tasks.amazonaws.com'),
      actions: ['sts:AssumeRole'],
      resource: resource('Backups', `${task}${kind}`),
    })),
    {
      id: `${name}-pulls-image`,
      what: `ECS pulls the ${name} image from the job's repository`,
      principal: role('Backups', `${task}ExecutionRole`),
      actions: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
      resource: resource('Backups', 'Repository'),
    },
    {
      id: `${name}-gets-registry-token`,
      what: 'ECS logs in to the registry',
      principal: role('Backups', `${task}ExecutionRole`),
      actions: ['ecr:GetAuthorizationToken'],
      resource: '*',
    },
    {
      id: `${name}-writes-its-log`,
      what: `the ${name} task's output goes to its log group`,
      principal: role('Backups', `${task}ExecutionRole`),
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resource: logStream('Backups', `${task}Logs`),
    },
    {
      id: `${name}-lists-backups`,
      what: `the ${name} task lists this environment's backups`,
      principal: role('Backups', `${task}TaskRole`),
      actions: ['s3:ListBucket'],
      resource: vault,
      context: { 's3:prefix': 'backups/{env}/' },
    },
    {
      id: `${name}-publishes-metrics`,
      what: `the ${name} task publishes its outcome to MiKO/Backups`,
      principal: role('Backups', `${task}TaskRole`),
      actions: ['cloudwatch:PutMetricData'],
      resource: '*',
      context: { 'cloudwatch:namespace': 'MiKO/Backups' },
      wildcardReason:
        'PutMetricData names no metric as a resource (only CloudWatch datasets, which these are not); the namespace condition limits it.',
    },
  ];
}

const dumpWildcard =
  'each backup is a new key under backups/<env>/ named by its time; the prefix is the narrowest fixed part.';

export const catalogue: PathCatalogue = {
  paths: [
    ...taskPaths('BackupTask'),
    {
      id: 'backup-reads-db-password',
      what: "ECS injects the backup database role's password into the task",
      principal: role('Backups', 'BackupTaskExecutionRole'),
      actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      resource: secret('supabase-backup-db-password'),
    },
    {
      id: 'backup-writes-dump',
      what: 'the backup task uploads the dump and its manifest (multipart), and reads them back to verify',
      principal: role('Backups', 'BackupTaskTaskRole'),
      actions: ['s3:PutObject', 's3:GetObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
      resource: backupObject,
      context: { 's3:if-none-match': '*' },
      wildcardReason: dumpWildcard,
    },
    ...taskPaths('DrillTask'),
    {
      id: 'drill-reads-backup',
      what: 'the restore drill reads the newest backup',
      principal: role('Backups', 'DrillTaskTaskRole'),
      actions: ['s3:GetObject'],
      resource: backupObject,
      wildcardReason: dumpWildcard,
    },
    {
      id: 'drill-writes-report',
      what: 'the restore drill writes its report under drills/<env>/',
      principal: role('Backups', 'DrillTaskTaskRole'),
      actions: ['s3:PutObject'],
      resource: `${vault}/drills/{env}/2026-01-04T05-15-00Z.json`,
      wildcardReason: 'each drill report is a new key named by its time under drills/<env>/.',
    },
  ],
  forbidden: [
    {
      id: 'backup-deletes-or-unlocks-backup',
      what: 'the backup task cannot delete a backup, shorten its retention or lift its lock',
      principal: role('Backups', 'BackupTaskTaskRole'),
      actions: [
        's3:DeleteObject',
        's3:DeleteObjectVersion',
        's3:PutObjectRetention',
        's3:PutObjectLegalHold',
        's3:BypassGovernanceRetention',
      ],
      resource: backupObject,
    },
    {
      id: 'backup-changes-vault-rules',
      what: "the backup task cannot change the vault's lock, lifecycle or policy",
      principal: role('Backups', 'BackupTaskTaskRole'),
      actions: [
        's3:PutBucketObjectLockConfiguration',
        's3:PutLifecycleConfiguration',
        's3:PutBucketPolicy',
        's3:PutBucketVersioning',
      ],
      resource: vault,
    },
    {
      id: 'drill-deletes-backup',
      what: 'the restore drill cannot delete or overwrite a backup',
      principal: role('Backups', 'DrillTaskTaskRole'),
      actions: ['s3:DeleteObject', 's3:PutObject', 's3:PutObjectRetention'],
      resource: backupObject,
    },
  ],
};
