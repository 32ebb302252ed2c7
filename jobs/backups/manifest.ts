/**
 * The manifest of one backup and where its objects live in the vault.
 *
 * A run writes its objects under its own prefix, `backups/<env>/<run id>/`, and its manifest LAST. A backup exists
 * only when its manifest does: a run that dies half-way leaves objects without a manifest, which nothing treats as
 * a backup (and which Object Lock keeps anyway until retention ends, harmlessly). Run ids are UTC timestamps, so
 * the newest backup is the last manifest key in lexical order.
 */

import type { Rules } from './rules';

export const MANIFEST_FORMAT = 'miko-backup/1';
export const MANIFEST_FILE = 'manifest.json';

/** What Supabase's backup guide splits a dump into: roles (plain SQL), schema and data (custom format here). */
export type BackupPart = 'roles' | 'schema' | 'data';

export interface ManifestObject {
  readonly part: BackupPart;
  readonly key: string;
  readonly bytes: number;
  readonly sha256: string;
  /** `plain` is replayed with psql, `custom` with pg_restore. */
  readonly format: 'plain' | 'custom';
}

export interface TableStats {
  readonly schema: string;
  readonly table: string;
  readonly rows: number;
  /** Order-independent sum of each row's md5 (see table-stats.ts), so a restore can prove the same rows came back. */
  readonly checksum: string;
}

/** An extension the source had, so a plain target can be given it before the schema that uses it. */
export interface ManifestExtension {
  readonly name: string;
  readonly schema: string;
}

export interface BackupManifest {
  readonly format: typeof MANIFEST_FORMAT;
  readonly environment: string;
  readonly runId: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly server: { readonly version: string; readonly versionNum: number };
  readonly pgDump: string;
  readonly database: string;
  readonly schemas: readonly string[];
  readonly objects: readonly ManifestObject[];
  readonly tables: readonly TableStats[];
  readonly totalBytes: number;
  /** Policies, RLS switches and grants to the API roles, read in the snapshot (absent in older backups). */
  readonly rules?: Rules;
  readonly extensions?: readonly ManifestExtension[];
  /** The storage objects copied beside the dump (absent when no bucket was configured). */
  readonly storage?: StorageSummary;
}

/** Where the run's storage manifest is, and what it holds. */
export interface StorageSummary {
  readonly key: string;
  readonly sha256: string;
  readonly buckets: readonly string[];
  readonly objects: number;
  readonly bytes: number;
}

export function backupsPrefix(envName: string): string {
  return `backups/${envName}/`;
}

export function runPrefix(envName: string, runId: string): string {
  return `${backupsPrefix(envName)}${runId}/`;
}

export function manifestKey(envName: string, runId: string): string {
  return `${runPrefix(envName, runId)}${MANIFEST_FILE}`;
}

/** The run id in a manifest key `backups/<env>/<run id>/manifest.json`, which orders backups across environments. */
export function runIdOf(key: string): string {
  return key.split('/').at(-2) ?? '';
}

/** `2026-12-01T03:15:07.123Z` → `2026-12-01T03-15-07-123Z`: sortable, and safe in a key and a file name. */
export function runIdFor(startedAt: Date): string {
  return startedAt.toISOString().replace(/[:.]/g, '-');
}

/** Parses a manifest read from the vault; a malformed one is refused with the key and the field that is wrong. */
export function parseManifest(text: string, key: string): BackupManifest {
  let value: any;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`${key} is not JSON: the manifest is damaged. Fix: restore an older backup (--backup <key>).`);
  }
  const need = (ok: boolean, field: string) => {
    if (!ok)
      throw new Error(
        `${key}: "${field}" is missing or malformed, so this backup cannot be verified. Fix: restore an older backup (--backup <key>).`,
      );
  };
  need(value?.format === MANIFEST_FORMAT, 'format');
  need(typeof value.runId === 'string', 'runId');
  need(Array.isArray(value.objects) && value.objects.length > 0, 'objects');
  for (const o of value.objects)
    need(
      typeof o.key === 'string' && /^[0-9a-f]{64}$/.test(o.sha256) && Number.isInteger(o.bytes),
      'objects[].key/sha256/bytes',
    );
  need(Array.isArray(value.tables), 'tables');
  for (const t of value.tables)
    need(
      typeof t.schema === 'string' &&
        typeof t.table === 'string' &&
        Number.isInteger(t.rows) &&
        typeof t.checksum === 'string',
      'tables[]',
    );
  return value as BackupManifest;
}

/**
 * What a drill leaves in the vault (under its own prefix): when, which backup, whether every check passed. The age
 * function reads the newest passing one, so a drill that stops running at all warns too.
 */
export interface DrillReport {
  readonly finishedAt: string;
  readonly ok: boolean;
  readonly manifestKey?: string;
  readonly seconds?: number;
  readonly check?: string;
}

export function drillsPrefix(envName: string): string {
  return `drills/${envName}/`;
}

export function drillReportKey(envName: string, finishedAt: Date): string {
  return `${drillsPrefix(envName)}${runIdFor(finishedAt)}.json`;
}
