/**
 * The backup and drill tasks' calls (backup-task.ts): ECS pulls the image and injects each task's secrets as the
 * execution role; the task role writes and reads the vault (S3 uses the platform key on its behalf: derived).
 * Neither can delete a backup, shorten its retention or lift its lock; the backup never replaces a stored photo.
 */
import {
  everySecretBut,
  logStream,
  OBJECT_TAMPER_ACTIONS,
  PathCatalogue,
  resource,
  role,
  RuntimePath,
  secret,
  service,
} from '../shared/runtime-paths';

const vault = 'arn:aws:s3:::miko-{env}-backups-{account}';
const backupObject = `${vault}/backups/{env}/2026-01-01T03-15-00Z/dump.sql.gz`;
/** A photo kept by its SHA-256 (jobs/backups/storage-copy.ts blobKey). */
const photoBlob = `${vault}/storage/{env}/blobs/ab/ab${'0'.repeat(62)}`;
const photoWildcard = "photos are kept by their SHA-256 under storage/<env>/blobs/; the prefix is this environment's.";

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
      what: `ECS pulls the ${name} image from the backup image repository (in the Data stack)`,
      principal: role('Backups', `${task}ExecutionRole`),
      actions: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
      resource: resource('Data', 'BackupImagesRepository'),
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

/** S3 adds s3:ObjectCreationOperation to a PutObject or CompleteMultipartUpload (not to UploadPart). */
const newObject = { 's3:ObjectCreationOperation': 'true' };

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
    {
      id: 'backup-reads-storage-key',
      what: "ECS injects Supabase Storage's S3 access key into the backup task (to copy the photos)",
      principal: role('Backups', 'BackupTaskExecutionRole'),
      actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      resource: secret('supabase-storage-s3-key'),
    },
    {
      id: 'backup-copies-photo',
      what: 'the backup task stores each new photo once under its SHA-256 (conditional multipart upload)',
      principal: role('Backups', 'BackupTaskTaskRole'),
      actions: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
      resource: photoBlob,
      context: { ...newObject, 's3:if-none-match': '*' },
      wildcardReason: photoWildcard,
    },
    ...taskPaths('DrillTask'),
    {
      id: 'drill-reads-test-patient',
      what: "ECS injects the synthetic test patient's login into the drill (its only secret: no database credential)",
      principal: role('Backups', 'DrillTaskExecutionRole'),
      actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      resource: secret('drill-test-patient'),
    },
    {
      id: 'drill-lists-photos',
      what: 'the restore drill lists the kept photos, to prove every one the manifest names is present',
      principal: role('Backups', 'DrillTaskTaskRole'),
      actions: ['s3:ListBucket'],
      resource: vault,
      context: { 's3:prefix': 'storage/{env}/blobs/' },
    },
    {
      id: 'drill-reads-photo',
      what: "the restore drill reads this week's rotation of photos byte for byte",
      principal: role('Backups', 'DrillTaskTaskRole'),
      actions: ['s3:GetObject'],
      resource: photoBlob,
      wildcardReason: photoWildcard,
    },
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
      actions: OBJECT_TAMPER_ACTIONS,
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
      id: 'backup-deletes-or-unlocks-photo',
      what: 'the backup task cannot delete a kept photo, shorten its retention or lift its lock',
      principal: role('Backups', 'BackupTaskTaskRole'),
      actions: OBJECT_TAMPER_ACTIONS,
      resource: photoBlob,
    },
    {
      id: 'backup-overwrites-no-photo',
      what: 'the backup task cannot write a photo unconditionally (a put without If-None-Match could replace one)',
      principal: role('Backups', 'BackupTaskTaskRole'),
      actions: ['s3:PutObject'],
      resource: photoBlob,
      context: newObject,
    },
    {
      id: 'backup-overwrites-no-backup',
      what: 'the backup task cannot write a backup unconditionally (a put without If-None-Match could replace one)',
      principal: role('Backups', 'BackupTaskTaskRole'),
      actions: ['s3:PutObject'],
      resource: backupObject,
      context: newObject,
    },
    {
      id: 'drill-deletes-backup',
      what: 'the restore drill cannot delete or overwrite a backup',
      principal: role('Backups', 'DrillTaskTaskRole'),
      actions: ['s3:DeleteObject', 's3:PutObject', 's3:PutObjectRetention'],
      resource: backupObject,
    },
    {
      id: 'drill-deletes-photo',
      what: 'the restore drill cannot delete or overwrite a kept photo',
      principal: role('Backups', 'DrillTaskTaskRole'),
      actions: ['s3:DeleteObject', 's3:PutObject', 's3:PutObjectRetention'],
      resource: photoBlob,
    },
    {
      id: 'drill-reads-no-database-credential',
      what: 'the restore drill holds no credential but the test patient: no database password, no storage key',
      principal: role('Backups', 'DrillTaskExecutionRole'),
      actions: ['secretsmanager:GetSecretValue'],
      resource: everySecretBut('drill-test-patient'),
    },
    {
      id: 'backup-reads-no-other-secret',
      what: 'the backup task reads only its database password and the storage key',
      principal: role('Backups', 'BackupTaskExecutionRole'),
      actions: ['secretsmanager:GetSecretValue'],
      resource: everySecretBut('supabase-backup-db-password', 'supabase-storage-s3-key'),
    },
  ],
};
