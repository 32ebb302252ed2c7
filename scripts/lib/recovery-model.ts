/**
 * The modeled RTO and RPO of the two disasters the backups answer, against 4 h and 24 h. Measurable rates come
 * from `npm run bench`, slowed by REMOTE_SLOWDOWN for a restore over the internet; the other steps are the
 * runbooks' estimates of AWS and people, named one by one.
 */

export const RTO_GOAL_HOURS = 4;
export const RPO_GOAL_HOURS = 24;

/** Restoring into Supabase over the internet instead of a local server: COPY over TLS and a remote disk. */
export const REMOTE_SLOWDOWN = 3;

/**
 * What the line between the vault and Supabase Storage is assumed to carry for many photos at once (200 Mbit/s).
 * The photo step runs at the slower of this and the rate measured here.
 */
export const PHOTO_NETWORK_MB_PER_SECOND = 25;

export interface MeasuredRates {
  /** Seconds to download, verify, restore and check one GB of database (pg_database_size), measured locally. */
  readonly dbRestoreSecondsPerGb: number;
  /** MB/s of photos read from the vault, verified and put back through the S3 endpoint, measured locally. */
  readonly photoRestoreMbPerSecond: number;
}

export interface RecoveryStep {
  readonly step: string;
  readonly minutes: number;
  readonly basis: string;
}

export interface RecoveryPlan {
  readonly disaster: string;
  readonly steps: readonly RecoveryStep[];
  readonly hours: number;
}

const plan = (disaster: string, steps: RecoveryStep[]): RecoveryPlan => ({
  disaster,
  steps,
  hours: steps.reduce((n, s) => n + s.minutes, 0) / 60,
});

function dataSteps(dbGb: number, photosGb: number, rates: MeasuredRates): RecoveryStep[] {
  const photoRate = Math.min(rates.photoRestoreMbPerSecond, PHOTO_NETWORK_MB_PER_SECOND);
  return [
    {
      step: `restore the database (${dbGb} GB) and prove it`,
      minutes: (dbGb * rates.dbRestoreSecondsPerGb * REMOTE_SLOWDOWN) / 60,
      basis: `${rates.dbRestoreSecondsPerGb.toFixed(0)} s/GB measured × ${REMOTE_SLOWDOWN} for the internet`,
    },
    {
      step: `put the photos back (${photosGb} GB) and prove every SHA-256`,
      minutes: (photosGb * 1024) / photoRate / 60,
      basis: `${photoRate.toFixed(1)} MB/s: the slower of ${rates.photoRestoreMbPerSecond.toFixed(1)} measured here and ${PHOTO_NETWORK_MB_PER_SECOND} assumed for the line`,
    },
  ];
}

/** The Supabase project is deleted or overwritten (ransomware-style): a new project, the data back, the app repointed. */
export function lostProject(dbGb: number, photosGb: number, rates: MeasuredRates): RecoveryPlan {
  return plan('Supabase project lost', [
    {
      step: 'notice, decide, pick the backup',
      minutes: 30,
      basis: 'a person paged; runbook restore-database.md step 1',
    },
    { step: 'create a new Supabase project', minutes: 10, basis: "Supabase's dashboard; enable the extensions" },
    ...dataSteps(dbGb, photosGb, rates),
    { step: 'repoint config and deploy', minutes: 25, basis: 'projectUrl and secrets, then the deploy workflow' },
    { step: 'verify and reopen', minutes: 10, basis: 'npm run verify; a test patient signs in' },
  ]);
}

/**
 * The AWS account or region is lost: rebuilt in a new account, nothing restored (Supabase holds the data), a first
 * backup at once. Losing the Supabase project as well loses the backups: the vault lives in the lost account.
 */
export function lostAccount(): RecoveryPlan {
  return plan('AWS account lost', [
    { step: 'notice, decide, open a new account', minutes: 45, basis: 'a person with the organization’s admin' },
    { step: 'config, CI access, bootstrap', minutes: 20, basis: 'rebuild-environment.md steps 1–4' },
    { step: 'deploy Data, enter the secrets, push the image', minutes: 25, basis: 'rebuild-environment.md steps 5–6' },
    { step: 'deploy the rest (CloudFront, certificate, DNS)', minutes: 40, basis: 'rebuild-environment.md step 7' },
    { step: 'verify and reopen', minutes: 15, basis: 'rebuild-environment.md step 9' },
  ]);
}

/**
 * Worst case data lost: the nightly backup's interval, since the snapshot is taken at its start. One failed night is
 * warned after 26 h (backup-missing), so two missed nights would double it.
 */
export function rpoHours(backupIntervalHours = 24): number {
  return backupIntervalHours;
}
