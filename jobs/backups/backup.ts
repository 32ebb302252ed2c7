/**
 * One backup run: a consistent snapshot of the source, dumped as Supabase's backup guide splits it (roles, schema,
 * data), each part streamed straight into the vault, then the manifest LAST.
 *
 * Consistency: one read-only REPEATABLE READ transaction exports its snapshot; pg_dump of the schema and the data
 * both start from it (`--snapshot`), and the row counts and checksums are read inside it, so the manifest
 * describes exactly the rows in the dump even while patients keep booking.
 */
import type { S3Client } from '@aws-sdk/client-s3';
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
import { CANONICAL_SESSION, listTables, tableStats } from './table-stats';
import { newestManifest, putManifest, uploadStream } from './vault';

export interface BackupSettings {
  readonly envName: string;
  readonly source: DatabaseTarget;
  /** The schemas whose schema and data are dumped (roles are cluster-wide). */
  readonly schemas: readonly string[];
  readonly bucket: string;
  readonly pgBin: string;
  /** For tests: smaller multipart parts. */
  readonly partSize?: number;
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

function dumpParts(settings: BackupSettings, snapshot: string): Part[] {
  const schemas = settings.schemas.flatMap((s) => ['--schema', s]);
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
      args: ['--format=custom', '--data-only', `--snapshot=${snapshot}`, ...schemas],
    },
  ];
}

export async function runBackup(
  s3: S3Client,
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
    const tables: TableStats[] = await tableStats(client, await listTables(client, settings.schemas));
    const pgDump = (await runTool(settings.pgBin, 'pg_dump', ['--version'])).stdout.trim();
    const previous = await newestManifest(s3, settings.bucket, settings.envName);

    const env = libpqEnvironment(settings.source);
    const objects: ManifestObject[] = [];
    for (const part of dumpParts(settings, snapshot)) {
      const key = `${runPrefix(settings.envName, runId)}${part.file}`;
      const tool = startTool(settings.pgBin, part.tool, part.args, env);
      const uploaded = await uploadStream(s3, settings.bucket, key, tool.stdout, tool.done, settings.partSize).catch(
        (error: Error) => {
          tool.kill();
          throw new Error(
            `backup ${runId} failed at ${part.file}: ${error.message}. No manifest was written, so this run is not a backup; the previous one is untouched.`,
          );
        },
      );
      objects.push({ part: part.part, key, format: part.format, ...uploaded });
    }
    await client.query('COMMIT');

    const manifest: BackupManifest = {
      format: MANIFEST_FORMAT,
      environment: settings.envName,
      runId,
      startedAt: started.toISOString(),
      finishedAt: now().toISOString(),
      server: { version: server.version, versionNum: Number(server.num) },
      pgDump,
      database: settings.source.database,
      schemas: settings.schemas,
      objects,
      tables,
      totalBytes: objects.reduce((n, o) => n + o.bytes, 0),
    };
    const key = manifestKey(settings.envName, runId);
    await putManifest(s3, settings.bucket, key, manifest);
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
