/**
 * One backup run, parts split as Supabase's backup guide does (roles, schema, data incl. `auth` and `storage`), each
 * streamed into the vault, then the configured buckets' objects (storage-copy.ts), then the manifest LAST. One
 * read-only REPEATABLE READ transaction exports the snapshot both pg_dumps use (`--snapshot`) and in which counts,
 * checksums and rules are read, so the manifest matches the dump while patients keep booking.
 */
import { Client } from 'pg';
import { DatabaseTarget, clientConfig, libpqEnvironment } from './database';
import {
  BackupManifest,
  BackupPart,
  MANIFEST_FORMAT,
  ManifestObject,
  TableStats,
  manifestKey,
  runIdFor,
  runPrefix,
} from './manifest';
import { runTool, startTool } from './pg-tools';
import { readRules } from './rules';
import { StorageSource, copyStorage } from './storage-copy';
import type { Vault } from './store';
import { EXCLUDED_DATA_TABLES, dumpedSchemas, isExcludedTable } from './supabase';
import { CANONICAL_SESSION, listTables, tableStats } from './table-stats';
import { newestManifest } from './vault-index';

export interface BackupSettings {
  readonly envName: string;
  readonly source: DatabaseTarget;
  /** The project's schemas (config); `auth` and `storage` are always added (supabase.ts). Roles are cluster-wide. */
  readonly schemas: readonly string[];
  readonly pgBin: string;
  /** Supabase Storage's S3 endpoint and the buckets to copy; none when absent. */
  readonly storage?: StorageSource;
}

export interface BackupResult {
  readonly key: string;
  readonly manifest: BackupManifest;
  /** Bytes of the previous backup, to judge whether this one shrank. */
  readonly previousBytes?: number;
  readonly seconds: number;
}

/** A failure to reach or read the source, before anything is written to the vault. */
export class SourceError extends Error {}

interface Part {
  readonly part: BackupPart;
  readonly file: string;
  readonly format: 'plain' | 'custom';
  readonly tool: string;
  readonly args: string[];
}

function dumpParts(settings: BackupSettings, snapshot: string, dumped: readonly string[]): Part[] {
  const schemas = dumped.flatMap((s) => ['--schema', s]);
  const excluded = EXCLUDED_DATA_TABLES.flatMap((t) => ['--exclude-table-data', t]);
  return [
    // pg_roles instead of pg_authid (--no-role-passwords): a non-superuser may read it, and hashes stay in Supabase.
    {
      part: 'roles',
      file: 'roles.sql',
      format: 'plain',
      tool: 'pg_dumpall',
      args: ['--roles-only', '--no-role-passwords', '--quote-all-identifiers', '-l', settings.source.database],
    },
    {
      part: 'schema',
      file: 'schema.dump',
      format: 'custom',
      tool: 'pg_dump',
      args: ['--format=custom', '--schema-only', `--snapshot=${snapshot}`, ...schemas],
    },
    {
      part: 'data',
      file: 'data.dump',
      format: 'custom',
      tool: 'pg_dump',
      args: ['--format=custom', '--data-only', `--snapshot=${snapshot}`, ...schemas, ...excluded],
    },
  ];
}

export async function runBackup(
  vault: Vault,
  settings: BackupSettings,
  now: () => Date = () => new Date(),
): Promise<BackupResult> {
  const started = now();
  const runId = runIdFor(started);
  const client = new Client(clientConfig(settings.source));
  try {
    await client.connect();
  } catch (error) {
    throw new SourceError(
      `cannot connect to ${settings.source.host}:${settings.source.port} as ${settings.source.user}: ${(error as Error).message}. Nothing was written to the vault. Fix: check the backup role's password in Secrets Manager and that the pooler host, port and user (<role>.<project ref>) in config are right.`,
    );
  }
  try {
    await client.query(CANONICAL_SESSION);
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const snapshot = (await client.query<{ id: string }>('SELECT pg_export_snapshot() AS id')).rows[0].id;
    const server = (
      await client.query<{ version: string; num: string }>(
        "SELECT current_setting('server_version') AS version, current_setting('server_version_num') AS num",
      )
    ).rows[0];
    // auth and storage exist in every Supabase project; a plain server (a laptop's copy) may lack them.
    const present = new Set(
      (await client.query<{ nspname: string }>('SELECT nspname FROM pg_namespace')).rows.map((r) => r.nspname),
    );
    const schemas = dumpedSchemas(settings.schemas).filter((s) => settings.schemas.includes(s) || present.has(s));
    const listed = await listTables(client, schemas);
    const tables: TableStats[] = await tableStats(
      client,
      listed.filter((t) => !isExcludedTable(t.schema, t.table)),
    );
    const rules = await readRules(client, schemas);
    const extensions = (
      await client.query<{ name: string; schema: string }>(
        'SELECT e.extname AS name, n.nspname AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace ORDER BY 1',
      )
    ).rows;
    const pgDump = (await runTool(settings.pgBin, 'pg_dump', ['--version'])).stdout.trim();
    const previous = await newestManifest(vault, settings.envName);

    const env = libpqEnvironment(settings.source);
    const objects: ManifestObject[] = [];
    for (const part of dumpParts(settings, snapshot, schemas)) {
      const key = `${runPrefix(settings.envName, runId)}${part.file}`;
      const tool = startTool(settings.pgBin, part.tool, part.args, env);
      const uploaded = await vault.upload(key, tool.stdout, tool.done).catch((error: Error) => {
        tool.kill();
        throw new Error(
          `backup ${runId} failed at ${part.file}: ${error.message}. No manifest was written, so this run is not a backup; the previous one is untouched.`,
        );
      });
      objects.push({ part: part.part, key, format: part.format, ...uploaded });
    }
    // The rows of storage.objects in the snapshot tie each file to its metadata.
    const storageRows = settings.storage
      ? (
          await client.query<{ id: string; bucket: string; name: string }>(
            'SELECT id::text AS id, bucket_id AS bucket, name FROM storage.objects WHERE bucket_id = ANY($1::text[])',
            [settings.storage.buckets],
          )
        ).rows
      : [];
    await client.query('COMMIT');
    const storage = settings.storage
      ? await copyStorage(vault, settings.storage, {
          envName: settings.envName,
          runId,
          rows: storageRows,
          previous: previous?.manifest.storage ? { vault, summary: previous.manifest.storage } : undefined,
        })
      : undefined;

    const manifest: BackupManifest = {
      format: MANIFEST_FORMAT,
      environment: settings.envName,
      runId,
      startedAt: started.toISOString(),
      finishedAt: now().toISOString(),
      server: { version: server.version, versionNum: Number(server.num) },
      pgDump,
      database: settings.source.database,
      schemas,
      objects,
      tables,
      totalBytes: objects.reduce((n, o) => n + o.bytes, 0),
      rules,
      extensions,
      storage,
    };
    const key = manifestKey(settings.envName, runId);
    await vault.putJson(key, manifest);
    return {
      key,
      manifest,
      previousBytes: previous?.manifest.totalBytes,
      seconds: (now().getTime() - started.getTime()) / 1000,
    };
  } finally {
    await client.end().catch(() => undefined);
  }
}
