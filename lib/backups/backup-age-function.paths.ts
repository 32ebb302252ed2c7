/** The backup-age check's calls (backup-age-function.ts): how old the newest backup and drill are. */
import { platformFunctionPaths } from '../shared/platform-function.paths';
import { PathCatalogue, resource, role, service } from '../shared/runtime-paths';

const check = role('Backups', 'BackupAgeFunctionRole');
const vault = 'arn:aws:s3:::miko-{env}-backups-{account}';

export const catalogue: PathCatalogue = {
  paths: [
    ...platformFunctionPaths('backup-age', 'Backups', 'BackupAgeFunction'),
    {
      id: 'schedule-starts-backup-age',
      what: 'the schedule starts the backup-age check',
      principal: service('events.amazonaws.com', resource('Backups', 'BackupAgeSchedule')),
      actions: ['lambda:InvokeFunction'],
      resource: resource('Backups', 'BackupAgeFunction'),
    },
    ...['backups/{env}/', 'drills/{env}/'].map((prefix) => ({
      id: `backup-age-lists-${prefix.split('/')[0]}`,
      what: `the backup-age check lists ${prefix}`,
      principal: check,
      actions: ['s3:ListBucket'],
      resource: vault,
      context: { 's3:prefix': prefix },
    })),
    {
      id: 'backup-age-reads-manifest',
      what: "the backup-age check reads the newest backup's manifest (never the dump)",
      principal: check,
      actions: ['s3:GetObject'],
      resource: `${vault}/backups/{env}/2026-01-01T03-15-00Z/manifest.json`,
      wildcardReason: "manifests sit under each backup's time-named prefix; the grant names only manifest.json files.",
    },
    {
      id: 'backup-age-publishes-metrics',
      what: 'the backup-age check publishes the ages to MiKO/Backups',
      principal: check,
      actions: ['cloudwatch:PutMetricData'],
      resource: '*',
      context: { 'cloudwatch:namespace': 'MiKO/Backups' },
      wildcardReason:
        'PutMetricData names no metric as a resource (only CloudWatch datasets, which these are not); the namespace condition limits it.',
    },
  ],
  forbidden: [
    {
      id: 'backup-age-reads-no-dump',
      what: 'the backup-age check cannot read a dump (patient data)',
      principal: check,
      actions: ['s3:GetObject'],
      resource: `${vault}/backups/{env}/2026-01-01T03-15-00Z/dump.sql.gz`,
    },
  ],
};
