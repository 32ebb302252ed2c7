/** The `backups` config: each mistake is reported with its field, the reason and the fix. */
import { problemsAfter } from '../support/config-problems';

const messageFor = (problems: ReadonlyArray<{ path: string; message: string }>, path: string) =>
  problems.find((p) => p.path === path)?.message;

test.each([
  [
    'storage.buckets',
    (b: any) => {
      b.storage.buckets = [];
    },
    /is empty, so no photo would leave Supabase .* Fix: list every bucket/,
  ],
  [
    'storage.region',
    (b: any) => {
      b.storage.region = 'virginia';
    },
    /not the Supabase project's region. Fix: /,
  ],
  [
    'database.host',
    (b: any) => {
      b.database.host = 'db.productionprojectref.supabase.co';
    },
    /not Supabase's session pooler host. Fix: .*no IPv6 route/,
  ],
  [
    'database.port',
    (b: any) => {
      b.database.port = 6543;
    },
    /must be 5432, the session pooler: .*snapshot would not hold/,
  ],
  [
    'objectLockMode',
    (b: any) => {
      b.objectLockMode = 'GOVERNANCE';
    },
    /anyone with s3:BypassGovernanceRetention could delete .* Fix: set "COMPLIANCE"/,
  ],
  [
    'coldStorageAfterDays',
    (b: any) => {
      b.coldStorageAfterDays = 90;
    },
    /not below retentionDays \(90\).*Fix/,
  ],
  [
    'database.user',
    (b: any) => {
      b.database.user = 'miko_backup.otherproject';
    },
    /routes? the backup to another project. Fix: set "miko_backup.productionprojectref"/,
  ],
  [
    'backupSchedule',
    (b: any) => {
      b.backupSchedule = '15 3 * * *';
    },
    /not a schedule .*Fix: write an EventBridge cron/,
  ],
  [
    'schemas',
    (b: any) => {
      b.schemas = [];
    },
    /is empty.*Fix: list at least "public"/,
  ],
])('production.backups.%s', (field, edit, message) => {
  const problems = problemsAfter((config) => edit(config.production.backups));
  expect(messageFor(problems, `production.backups.${field}`)).toMatch(message);
});

test('staging may use GOVERNANCE (test backups can be cleared by a person allowed to bypass it)', () => {
  expect(problemsAfter(() => undefined)).toEqual([]);
});
