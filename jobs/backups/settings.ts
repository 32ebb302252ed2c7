/**
 * The task's settings, from the environment its task definition sets (lib/backups/backup-task.ts). The password
 * arrives in PGPASSWORD, injected by ECS from Secrets Manager at start; it is never in the task definition.
 */
import type { BackupSettings } from './backup';
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
} as const;

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
    bucket: required(env, TASK_ENV.bucket),
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
  };
}
