/**
 * The task's settings, from the environment its task definition sets (lib/backups/backup-task.ts). The password
 * arrives in PGPASSWORD, injected by ECS from Secrets Manager at start; it is never in the task definition.
 */
import { S3Client } from '@aws-sdk/client-s3';
import type { BackupSettings } from './backup';
import type { KnownPatient } from './patient-checks';
import { findPgBin } from './pg-tools';

export const TASK_ENV = {
  envName: 'BACKUP_ENVIRONMENT',
  bucket: 'BACKUP_VAULT_BUCKET',
  schemas: 'BACKUP_SCHEMAS',
  host: 'PGHOST',
  port: 'PGPORT',
  database: 'PGDATABASE',
  user: 'PGUSER',
  password: 'PGPASSWORD',
  caFile: 'PGSSLROOTCERT',
  /** Supabase Storage: the S3 endpoint, its region, the buckets to copy, and the S3 access key (from a secret). */
  storageEndpoint: 'SUPABASE_S3_ENDPOINT',
  storageRegion: 'SUPABASE_S3_REGION',
  storageBuckets: 'BACKUP_STORAGE_BUCKETS',
  storageAccessKeyId: 'SUPABASE_S3_ACCESS_KEY_ID',
  storageSecretAccessKey: 'SUPABASE_S3_SECRET_ACCESS_KEY',
  /** The drill's test patient (its password from a secret); the password check is skipped without them. */
  patientEmail: 'DRILL_PATIENT_EMAIL',
  patientPassword: 'DRILL_PATIENT_PASSWORD',
} as const;

/** Supabase Storage's S3 endpoint, path-style as Supabase requires, with the project's S3 access key. */
export function storageClient(endpoint: string, env: NodeJS.ProcessEnv = process.env): S3Client {
  return new S3Client({
    endpoint,
    forcePathStyle: true,
    region: env[TASK_ENV.storageRegion] || 'us-east-1',
    // Checksums only where S3 requires them: S3-compatible endpoints lag behind the SDK's newer default checksums,
    // and every photo is proven by its SHA-256 anyway.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    credentials: {
      accessKeyId: required(env, TASK_ENV.storageAccessKeyId),
      secretAccessKey: required(env, TASK_ENV.storageSecretAccessKey),
    },
  });
}

export function knownPatientFromEnv(env: NodeJS.ProcessEnv = process.env): KnownPatient | undefined {
  const email = env[TASK_ENV.patientEmail];
  const password = env[TASK_ENV.patientPassword];
  return email && password ? { email, password } : undefined;
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value)
    throw new Error(
      `${name} is not set. Fix: the task definition sets it (lib/backups/backup-task.ts); when running by hand, export it.`,
    );
  return value;
}

export function backupSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): BackupSettings {
  return {
    envName: required(env, TASK_ENV.envName),
    schemas: required(env, TASK_ENV.schemas)
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    pgBin: findPgBin(),
    source: {
      host: required(env, TASK_ENV.host),
      port: Number(required(env, TASK_ENV.port)),
      database: required(env, TASK_ENV.database),
      user: required(env, TASK_ENV.user),
      password: required(env, TASK_ENV.password),
      caFile: required(env, TASK_ENV.caFile),
    },
    storage: env[TASK_ENV.storageBuckets]
      ? {
          s3: storageClient(required(env, TASK_ENV.storageEndpoint), env),
          buckets: env[TASK_ENV.storageBuckets]!.split(',')
            .map((b) => b.trim())
            .filter(Boolean),
        }
      : undefined,
  };
}
