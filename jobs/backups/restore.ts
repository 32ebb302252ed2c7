/**
 * Restores one backup into a Postgres server (and its photos through an S3 endpoint) and proves it, in the order of
 * Supabase's guide: every object's size and SHA-256 against the manifest before the target is touched, then roles
 * (psql), the schema and the data (pg_restore, data in one transaction with triggers off), then the checks patients
 * depend on (patient-checks.ts) and the storage objects (storage-copy.ts). Used by the weekly drill (into a
 * throwaway local server), by `npm run restore` (the disaster-recovery path) and by `--verify-only`.
 *
 * Never over a good copy: a target whose dumped tables already hold rows is refused before anything is written,
 * and storage objects are never replaced. Never half-done looking complete: the data restore is one transaction,
 * and the report is returned only when every check passed; otherwise a VerificationError names each failed check.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Client } from 'pg';
import { DatabaseTarget, libpqEnvironment, withClient } from './database';
import type { BackupManifest, ManifestObject } from './manifest';
import { CheckResult, KnownPatient, checkIsolation, checkPassword, checkRules } from './patient-checks';
import { runTool } from './pg-tools';
import { RotatingCheck, readStorageManifest, restoreStorage, verifyStorage } from './storage-copy';
import type { Vault } from './store';
import { restorableEntries } from './supabase';
import { CANONICAL_SESSION, tableStats } from './table-stats';
import { VerificationError, downloadVerified, newestManifest, readManifest } from './vault-index';

export interface RestoreOptions {
  /** The environment whose newest backup to restore; any environment's newest when absent (a copied directory). */
  readonly envName?: string;
  /** The manifest key to restore; the newest backup when absent. */
  readonly manifestKey?: string;
  readonly target: DatabaseTarget;
  readonly pgBin: string;
  /** Replay roles.sql first (Supabase's guide does; roles that exist are left as they are). */
  readonly withRoles: boolean;
  /** The test patient whose password must verify; the password check is reported as skipped when absent. */
  readonly knownPatient?: KnownPatient;
  /** Put the storage objects back through this S3 endpoint; without it, they are verified in the vault only. */
  readonly storageTarget?: S3Client;
  /** The target is a throwaway server of our own (the drill, --verify-only): pgcrypto may be installed in it. */
  readonly throwaway?: boolean;
  /** Read the photos in a weekly rotation (the drill, storage-copy.ts) instead of all of them. */
  readonly photoRotation?: RotatingCheck;
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
  /** Every check that ran, passed (a failed one throws). */
  readonly checks: readonly CheckResult[];
  /** Errors pg_restore reported for the schema but survived (e.g. an extension the target lacks), as it printed them. */
  readonly schemaErrors: readonly string[];
  readonly storage?: { readonly objects: number; readonly bytes: number; readonly restored: number };
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

export async function restoreBackup(vault: Vault, options: RestoreOptions): Promise<RestoreReport> {
  const log = options.log ?? (() => undefined);
  const started = process.hrtime.bigint();
  const chosen = options.manifestKey
    ? { key: options.manifestKey, manifest: await readManifest(vault, options.manifestKey) }
    : await newestManifest(vault, options.envName);
  if (!chosen)
    throw new VerificationError(
      'manifest',
      `no backup${options.envName ? ` of ${options.envName}` : ''} in ${vault.name} (no manifest under backups/${options.envName ?? '<env>'}/). Fix: run "npm run backup".`,
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
      await downloadVerified(vault, o, files[o.part], `sha256:${o.part}`);
      log(`verified ${o.key}: ${o.bytes} bytes, sha256 ok`);
    }
    await refuseFilledTarget(options.target, manifest);
    const env = libpqEnvironment(options.target);
    if (options.withRoles) {
      // Roles that already exist (postgres, anon, …) make CREATE ROLE fail; that is expected, so no ON_ERROR_STOP.
      await runTool(options.pgBin, 'psql', ['-X', '-q', '-f', files.roles], env);
    }
    await withClient(options.target, (client) => addMissingExtensions(client, manifest, log));
    // The schema may name what only Supabase has (pg_graphql, …): survive those, the checks decide.
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
      log(`schema restored with ${schemaErrors.length} ignored errors: ${schemaErrors.join(' | ')}; the checks decide`);
    }
    try {
      // One transaction, so a failed restore leaves the tables empty, not half-full. session_replication_role=replica
      // (as Supabase's guide restores): triggers do not rewrite rows, and foreign keys ignore table order.
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
    const { tables, checks, storage } = await runChecks(vault, key, manifest, options, 'restore');
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { key, manifest, seconds, bytes: manifest.totalBytes, tables, checks, schemaErrors, storage };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * The checks of an already restored target, without writing to it: the drill's checks for `--verify-only --to`
 * (after a restore, or to judge a target someone else restored).
 */
export async function verifyRestored(vault: Vault, options: RestoreOptions): Promise<RestoreReport> {
  const started = process.hrtime.bigint();
  const chosen = options.manifestKey
    ? { key: options.manifestKey, manifest: await readManifest(vault, options.manifestKey) }
    : await newestManifest(vault, options.envName);
  if (!chosen) throw new VerificationError('manifest', `no backup in ${vault.name}. Fix: run "npm run backup".`);
  const { tables, checks, storage } = await runChecks(vault, chosen.key, chosen.manifest, options, 'verify');
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { ...chosen, seconds, bytes: chosen.manifest.totalBytes, tables, checks, schemaErrors: [], storage };
}

/** Every check a restored target must pass; throws a VerificationError naming each failed one. */
async function runChecks(
  vault: Vault,
  key: string,
  manifest: BackupManifest,
  options: RestoreOptions,
  mode: 'restore' | 'verify',
): Promise<Pick<RestoreReport, 'tables' | 'checks' | 'storage'>> {
  const log = options.log ?? (() => undefined);
  const tables = await compareTables(options.target, manifest);
  const checks: CheckResult[] = [tablesResult(tables)];
  await withClient(options.target, async (client) => {
    checks.push(await checkRules(client, manifest));
    if (options.knownPatient)
      checks.push(await checkPassword(client, options.knownPatient, options.throwaway === true));
    checks.push(await checkIsolation(client, manifest, options.knownPatient));
  });
  let storage: RestoreReport['storage'];
  if (manifest.storage) {
    const storageManifest = await readStorageManifest(vault, manifest.storage);
    const envName = key.split('/')[1];
    if (options.storageTarget && mode === 'restore') {
      const result = await restoreStorage(vault, envName, storageManifest, options.storageTarget).catch(
        (error: Error) => ({ error }),
      );
      if ('error' in result) checks.push({ check: 'storage', ok: false, detail: result.error.message });
      else {
        checks.push({
          check: 'storage',
          ok: true,
          detail: `${result.restored} objects put back, ${result.alreadyThere} already there, every SHA-256 matches`,
        });
        storage = { objects: manifest.storage.objects, bytes: manifest.storage.bytes, restored: result.restored };
      }
    } else {
      const { failures, read } = await verifyStorage(vault, envName, storageManifest, options.photoRotation);
      const all = storageManifest.entries.length;
      checks.push(
        failures.length === 0
          ? {
              check: 'storage',
              ok: true,
              detail:
                read === all
                  ? `${all} objects, every SHA-256 matches`
                  : `${all} objects present, ${read} read (new ones and this week's slice), every SHA-256 read matches`,
            }
          : { check: 'storage', ok: false, detail: `${failures.length} objects differ: ${failures.join('; ')}` },
      );
      storage = { objects: manifest.storage.objects, bytes: manifest.storage.bytes, restored: 0 };
    }
  }
  for (const c of checks) log(`${c.ok ? 'ok    ' : 'FAILED'} ${c.check}: ${c.detail}`);
  const failed = checks.filter((c) => !c.ok);
  if (failed.length > 0)
    throw new VerificationError(
      failed.map((c) => c.check).join(','),
      failed.map((c) => `${c.check}: ${c.detail}`).join(' | '),
    );
  return { tables, checks, storage };
}

/** A restore loads into empty tables only: rows already there may be the only good copy of something. */
async function refuseFilledTarget(target: DatabaseTarget, manifest: BackupManifest): Promise<void> {
  const filled = await withClient(target, async (client) => {
    const found: string[] = [];
    for (const t of manifest.tables) {
      const name = `"${t.schema}"."${t.table}"`;
      const exists = (await client.query('SELECT to_regclass($1) IS NOT NULL AS exists', [name])).rows[0].exists;
      if (exists && (await client.query(`SELECT EXISTS (SELECT FROM ${name}) AS rows`)).rows[0].rows)
        found.push(`${t.schema}.${t.table}`);
    }
    return found;
  });
  if (filled.length > 0)
    throw new VerificationError(
      'target-not-empty',
      `the target already holds rows in ${filled.join(', ')}; a restore never writes over data that may be the only good copy. Nothing was written. Fix: restore into a new Supabase project or an empty database.`,
    );
}

/** Extensions the source had, created where the target lacks them (a plain server); Supabase-only ones may fail. */
async function addMissingExtensions(client: Client, manifest: BackupManifest, log: (line: string) => void) {
  for (const e of manifest.extensions ?? []) {
    if (e.name === 'plpgsql') continue;
    await client
      .query(
        `CREATE SCHEMA IF NOT EXISTS "${e.schema}"; CREATE EXTENSION IF NOT EXISTS "${e.name}" WITH SCHEMA "${e.schema}"`,
      )
      .catch((error: Error) => log(`extension ${e.name} not created: ${error.message}`));
  }
}

/** The schema dump's table of contents as the target can take it (supabase.ts decides per entry). */
async function restoreList(options: RestoreOptions, dump: string, work: string): Promise<string> {
  const existing = await withClient(
    options.target,
    async (client) =>
      new Set((await client.query<{ nspname: string }>('SELECT nspname FROM pg_namespace')).rows.map((r) => r.nspname)),
  );
  const { stdout } = await runTool(options.pgBin, 'pg_restore', ['--list', dump]);
  const file = join(work, 'schema.list');
  writeFileSync(file, restorableEntries(stdout.split('\n'), existing).join('\n'));
  return file;
}

function tablesResult(tables: readonly TableCheck[]): CheckResult {
  const wrong = tables.filter((t) => !t.ok);
  const schemas = [...new Set(tables.map((t) => t.table.split('.')[0]))];
  return wrong.length === 0
    ? {
        check: 'table-checks',
        ok: true,
        detail: `${tables.length} tables in ${schemas.join(', ')}: every row count and checksum matches`,
      }
    : {
        check: 'table-checks',
        ok: false,
        detail: `${wrong.length} of ${tables.length} tables differ from the manifest after restore: ${wrong.map((t) => `${t.table} (${t.rows} rows, expected ${t.expectedRows}${t.rows === t.expectedRows ? ', checksum differs' : ''})`).join(', ')}.`,
      };
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
