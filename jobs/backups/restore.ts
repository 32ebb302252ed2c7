/**
 * Restores one backup into a Postgres server and proves it: every object's size and SHA-256 against the manifest,
 * then roles (psql), schema and data (pg_restore), then every table's row count and checksum. Used by the weekly
 * drill (into a throwaway local server) and by `npm run restore` (the real disaster-recovery path).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { DatabaseTarget, libpqEnvironment, withClient } from './database';
import type { BackupManifest, ManifestObject } from './manifest';
import { runTool } from './pg-tools';
import { CANONICAL_SESSION, tableStats } from './table-stats';
import { VerificationError, downloadVerified, newestManifest, readManifest } from './vault';

export interface RestoreOptions {
  readonly bucket: string;
  readonly envName: string;
  /** The manifest key to restore; the newest backup when absent. */
  readonly manifestKey?: string;
  readonly target: DatabaseTarget;
  readonly pgBin: string;
  /** Replay roles.sql first (a throwaway server needs the roles that own the objects; a Supabase target has them). */
  readonly withRoles: boolean;
  readonly log?: (line: string) => void;
}

export interface TableCheck {
  readonly table: string;
  readonly expectedRows: number;
  readonly rows: number;
  readonly ok: boolean;
}

export interface RestoreReport {
  readonly key: string;
  readonly manifest: BackupManifest;
  readonly seconds: number;
  readonly bytes: number;
  readonly tables: readonly TableCheck[];
  /** Errors pg_restore reported for the schema but survived (e.g. an extension the target lacks), as it printed them. */
  readonly schemaErrors: readonly string[];
}

/** Every part Supabase's guide splits a dump into must be in the manifest before anything is restored. */
function requireParts(manifest: BackupManifest): void {
  for (const part of ['roles', 'schema', 'data'] as const) {
    if (!manifest.objects.some((o: ManifestObject) => o.part === part)) {
      throw new VerificationError(
        `manifest:${part}`,
        `the manifest lists no ${part} object. Fix: restore another backup (--backup <key>).`,
      );
    }
  }
}

export async function restoreBackup(s3: S3Client, options: RestoreOptions): Promise<RestoreReport> {
  const log = options.log ?? (() => undefined);
  const started = process.hrtime.bigint();
  const chosen = options.manifestKey
    ? { key: options.manifestKey, manifest: await readManifest(s3, options.bucket, options.manifestKey) }
    : await newestManifest(s3, options.bucket, options.envName);
  if (!chosen)
    throw new VerificationError(
      'manifest',
      `no backup of ${options.envName} in ${options.bucket} (no manifest under backups/${options.envName}/). Fix: run "npm run backup -- --env ${options.envName} --now".`,
    );
  const { key, manifest } = chosen;
  log(
    `restoring ${key} (${manifest.totalBytes} bytes, ${manifest.tables.length} tables, server ${manifest.server.version})`,
  );

  requireParts(manifest);
  const work = mkdtempSync(join(tmpdir(), 'miko-restore-'));
  try {
    const files: Record<string, string> = {};
    for (const o of manifest.objects) {
      files[o.part] = join(work, o.key.split('/').pop()!);
      await downloadVerified(s3, options.bucket, o, files[o.part]);
      log(`verified ${o.key}: ${o.bytes} bytes, sha256 ok`);
    }
    const env = libpqEnvironment(options.target);
    if (options.withRoles) {
      // Roles that already exist (postgres, …) make CREATE ROLE fail; that is expected, so no ON_ERROR_STOP here.
      await runTool(options.pgBin, 'psql', ['-X', '-q', '-f', files.roles], env);
    }
    // The schema may name what only Supabase has (extensions, auth.*): survive those, the table checks decide.
    let schemaErrors: string[] = [];
    try {
      const list = await restoreList(options, files.schema, work);
      await runTool(
        options.pgBin,
        'pg_restore',
        ['--no-owner', '--use-list', list, '--dbname', options.target.database, files.schema],
        env,
      );
    } catch (error) {
      const message = (error as Error).message;
      if (!/errors ignored on restore: \d+/.test(message))
        throw new VerificationError('restore:schema', `pg_restore of the schema failed: ${message}`);
      schemaErrors = [...message.matchAll(/pg_restore: error: (.*)/g)].map((m) => m[1]);
      log(
        `schema restored with ${schemaErrors.length} ignored errors: ${schemaErrors.join(' | ')}; the table checks decide`,
      );
    }
    try {
      // One transaction: a data restore that fails leaves the target's tables as they were (empty), not half-full.
      // As Supabase's guide restores data: with session_replication_role=replica, so triggers (updated_at, audit,
      // webhooks) do not fire and rewrite rows, and foreign keys do not care about table order.
      await runTool(
        options.pgBin,
        'pg_restore',
        ['--data-only', '--single-transaction', '--exit-on-error', '--dbname', options.target.database, files.data],
        { ...env, PGOPTIONS: '-c session_replication_role=replica' },
      );
    } catch (error) {
      throw new VerificationError(
        'restore:data',
        `pg_restore of the data failed and was rolled back: ${(error as Error).message}`,
      );
    }
    const tables = await compareTables(options.target, manifest);
    const wrong = tables.filter((t) => !t.ok);
    if (wrong.length > 0) {
      throw new VerificationError(
        'table-checks',
        `${wrong.length} of ${tables.length} tables differ from the manifest after restore: ${wrong.map((t) => `${t.table} (${t.rows} rows, expected ${t.expectedRows}${t.rows === t.expectedRows ? ', checksum differs' : ''})`).join(', ')}.`,
      );
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { key, manifest, seconds, bytes: manifest.totalBytes, tables, schemaErrors };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * The schema dump's table of contents minus the CREATE SCHEMA of schemas the target already has (every server has
 * `public`; a Supabase target has the others too), which would otherwise fail with "already exists".
 */
async function restoreList(options: RestoreOptions, dump: string, work: string): Promise<string> {
  const existing = await withClient(
    options.target,
    async (client) =>
      new Set((await client.query<{ nspname: string }>('SELECT nspname FROM pg_namespace')).rows.map((r) => r.nspname)),
  );
  const { stdout } = await runTool(options.pgBin, 'pg_restore', ['--list', dump]);
  const kept = stdout.split('\n').filter((line) => {
    const schema = /^\d+; \d+ \d+ SCHEMA - (\S+) /.exec(line);
    return !(schema && existing.has(schema[1]));
  });
  const file = join(work, 'schema.list');
  writeFileSync(file, kept.join('\n'));
  return file;
}

async function compareTables(target: DatabaseTarget, manifest: BackupManifest): Promise<TableCheck[]> {
  return withClient(target, async (client) => {
    await client.query(CANONICAL_SESSION);
    const existing = new Set(
      (
        await client.query<{ name: string }>(
          "SELECT n.nspname || '.' || c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r'",
        )
      ).rows.map((r) => r.name),
    );
    const checks: TableCheck[] = [];
    for (const expected of manifest.tables) {
      const table = `${expected.schema}.${expected.table}`;
      if (!existing.has(table)) {
        checks.push({ table, expectedRows: expected.rows, rows: 0, ok: false });
        continue;
      }
      const [actual] = await tableStats(client, [expected]);
      checks.push({
        table,
        expectedRows: expected.rows,
        rows: actual.rows,
        ok: actual.rows === expected.rows && actual.checksum === expected.checksum,
      });
    }
    return checks;
  });
}
