/**
 * The `backups` part of an environment's config: which database the nightly job dumps (through Supabase's IPv4
 * session pooler), when the job and the drill run, and how long the vault keeps each backup under Object Lock.
 * Every error says what, why and "Fix:" (the style of schema.ts).
 */
import { z } from 'zod';
import { parseCidr } from './cidr';

const shown = (value: unknown): string => JSON.stringify(value) ?? String(value);

const days = (what: string, min: number, max: number) =>
  z
    .number({ error: `must be a whole number of days (${what}). Fix: set a number from ${min} to ${max}.` })
    .int({ error: `must be a whole number of days (${what}). Fix: set a number from ${min} to ${max}.` })
    .min(min, {
      error: (issue) => `${shown(issue.input)} is too small (${what}). Fix: set a number from ${min} to ${max}.`,
    })
    .max(max, {
      error: (issue) => `${shown(issue.input)} is too large (${what}). Fix: set a number from ${min} to ${max}.`,
    });

/** EventBridge Scheduler's cron: six fields, in UTC. */
const schedule = (what: string) =>
  z.string().regex(/^cron\((\S+ ){5}\S+\)$/, {
    error: (issue) =>
      `${shown(issue.input)} is not a schedule (${what}). Fix: write an EventBridge cron in UTC with six fields, e.g. "cron(15 3 * * ? *)" (03:15 every night).`,
  });

/** Supabase's shared session pooler: aws-0-<region>.pooler.supabase.com (IPv4, at addresses Supabase does not publish). */
const POOLER_HOST = /^aws-\d+-[a-z0-9-]+\.pooler\.supabase\.com$/;
/** The direct connection: IPv6 only, unless the project has the IPv4 add-on (a dedicated, static IPv4 address). */
export const DIRECT_HOST = /^db\.([a-z0-9]{1,40})\.supabase\.co$/;
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

export const backupsConfigSchema = z
  .strictObject({
    /**
     * Where pg_dump connects, on port 5432: the project's session pooler, or the direct host when the project has the
     * IPv4 add-on (then with `databaseCidrs`). Never the transaction pooler (6543), which cannot hold pg_dump's snapshot.
     */
    database: z.strictObject({
      host: z.string().refine((host) => POOLER_HOST.test(host) || DIRECT_HOST.test(host), {
        error: (issue) =>
          `${shown(issue.input)} is neither Supabase's session pooler host nor the direct db.<ref>.supabase.co host. Fix: copy it from the dashboard (Connect > Session pooler), e.g. "aws-0-us-east-1.pooler.supabase.com", or, with the IPv4 add-on, the direct host (Connect > Direct connection).`,
      }),
      port: z.literal(5432, {
        error:
          "must be 5432 (the session pooler or the direct connection): the transaction pooler (6543) hands each statement to any connection, so pg_dump's exported snapshot would not hold. Fix: set 5432.",
      }),
      name: z.string().regex(IDENTIFIER, {
        error: (issue) => `${shown(issue.input)} is not a database name. Fix: use "postgres" (Supabase's database).`,
      }),
      /**
       * `<role>.<project ref>` through the pooler (it finds the project by the suffix), the bare `<role>` on the direct
       * host (rules.ts checks which). The role's password is the secret `supabase-backup-db-password`.
       */
      user: z.string().regex(/^[a-z_][a-z0-9_]{0,62}(\.[a-z0-9]{1,40})?$/, {
        error: (issue) =>
          `${shown(issue.input)} is not a database user. Fix: write "<role>.<project ref>" for the pooler, e.g. "miko_backup.abcdefghijklmnopqrst", or "miko_backup" on the direct host (the read-only role of docs/readme/backups.md).`,
      }),
    }),
    /** Schemas whose schema and data are dumped (Supabase's own schemas are managed by Supabase and restored by it). */
    schemas: z
      .array(
        z.string().regex(IDENTIFIER, {
          error: (issue) =>
            `${shown(issue.input)} is not a schema name. Fix: lower-case letters, digits and "_", e.g. "public".`,
        }),
      )
      .min(1, { error: 'is empty, so nothing would be backed up. Fix: list at least "public".' }),
    /**
     * Supabase Storage copied off-site with each backup via https://<ref>.storage.supabase.co/storage/v1/s3, signed
     * with the project's region; its access key is the secret `supabase-storage-s3-key`.
     */
    storage: z.strictObject({
      buckets: z
        .array(
          z.string().regex(/^[a-z0-9][a-z0-9._-]{1,62}$/, {
            error: (issue) =>
              `${shown(issue.input)} is not a Supabase Storage bucket id. Fix: copy it from the dashboard (Storage), e.g. "patient-photos".`,
          }),
        )
        .min(1, {
          error:
            'is empty, so no photo would leave Supabase (which deletes them with the project). Fix: list every bucket, e.g. ["patient-photos"].',
        }),
      region: z.string().regex(/^[a-z]{2}-[a-z]+-\d$/, {
        error: (issue) =>
          `${shown(issue.input)} is not the Supabase project's region. Fix: copy it from the dashboard (Settings > General), e.g. "us-east-1".`,
      }),
    }),
    /** The nightly backup (UTC). */
    backupSchedule: schedule('nightly backup'),
    /** The restore drill (UTC), after a backup has had time to finish. */
    drillSchedule: schedule('restore drill'),
    /** COMPLIANCE: nobody, root included, can delete a backup before its retention ends. GOVERNANCE: a person with s3:BypassGovernanceRetention can. */
    objectLockMode: z.enum(['COMPLIANCE', 'GOVERNANCE'], {
      error: 'must be "COMPLIANCE" or "GOVERNANCE". Fix: COMPLIANCE for production, GOVERNANCE for staging.',
    }),
    /** Days each backup is locked, then expired. */
    retentionDays: days('Object Lock retention of each backup', 1, 3650),
    /**
     * Days before a backup moves to Glacier Instant Retrieval (still restores at once), or null to stay in Standard.
     * Glacier IR bills at least 90 days, so it pays only for backups kept there about a month or more.
     */
    coldStorageAfterDays: days('days before moving to Glacier Instant Retrieval', 1, 3650).nullable(),
    /**
     * Route the task through a NAT gateway with an Elastic IP, for a Supabase project with network restrictions
     * (allow that one address). About $36/month; without it the task uses a public IP that changes every run.
     */
    fixedEgressIp: z.boolean(),
    /**
     * The database port's allowed addresses: the IPv4 add-on's db.<ref>.supabase.co as /32, e.g. ["203.0.113.7/32"].
     * @default any IPv4 address, with a synth warning (the shared pooler's addresses are not published)
     */
    databaseCidrs: z
      .array(
        z.string().superRefine((text, ctx) => {
          const cidr = parseCidr(text);
          if ('problem' in cidr) ctx.addIssue({ code: 'custom', message: `${shown(text)} ${cidr.problem}` });
        }),
      )
      .min(1, { error: 'is empty, so the backup could reach no database. Fix: list the address, or remove the field.' })
      .optional(),
  })
  .superRefine((value, ctx) => {
    for (const problem of databaseEgressProblems(value.database.host, value.databaseCidrs))
      ctx.addIssue({ code: 'custom', path: ['databaseCidrs'], message: problem });
    if (value.coldStorageAfterDays !== null && value.coldStorageAfterDays >= value.retentionDays) {
      ctx.addIssue({
        code: 'custom',
        path: ['coldStorageAfterDays'],
        message: `${value.coldStorageAfterDays} is not below retentionDays (${value.retentionDays}), so backups would expire before they move to colder storage. Fix: set it below ${value.retentionDays}, e.g. 30.`,
      });
    }
  });

/** databaseCidrs must fit the host: a fixed address exists only for the direct host, and the tasks have IPv4 only. */
function databaseEgressProblems(host: string, cidrs: readonly string[] | undefined): string[] {
  const direct = DIRECT_HOST.test(host);
  if (cidrs === undefined)
    return direct
      ? [
          `is missing while database.host is the direct host ${host}, which the tasks (IPv4 only) reach only at the IPv4 add-on's address. Fix: set ["<that address>/32"] (dig +short A ${host}), or use the session pooler host.`,
        ]
      : [];
  const parsed = cidrs.map(parseCidr);
  if (parsed.some((c) => 'problem' in c)) return [];
  if (!direct)
    return [
      `is set while database.host is the shared pooler ${host}, whose addresses Supabase neither publishes nor keeps fixed, so a narrowed rule would break the nightly backup when they move. Fix: enable the IPv4 add-on and set database.host to db.<ref>.supabase.co (user without ".<ref>"), or remove databaseCidrs.`,
    ];
  if (!parsed.some((c) => 'version' in c && c.version === 4))
    return [
      `lists no IPv4 block, but the backup network has no IPv6 route, so the backup could reach no database. Fix: add the IPv4 add-on's address as /32 (dig +short A ${host}).`,
    ];
  return [];
}

export type BackupsConfig = z.infer<typeof backupsConfigSchema>;
