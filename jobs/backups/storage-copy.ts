/**
 * Patients' files off-site: the configured buckets' objects, read via Supabase Storage's S3 endpoint, kept by
 * content (`storage/<env>/blobs/<sha256>`), with a per-run manifest tying each to its `storage.objects` row.
 * Incremental (same ETag and size: not read again); never deletes (Object Lock, no delete permission), so a
 * deleted file only drops out of the next manifest. Keys may carry a patient's name: messages name the row id.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { StorageSummary, runIdFor, runPrefix } from './manifest';
import type { Vault } from './store';
import { AlreadyInVaultError } from './vault';
import { VerificationError, downloadVerified } from './vault-index';

/** Supabase Storage's S3 endpoint (https://<ref>.storage.supabase.co/storage/v1/s3) and the buckets to copy. */
export interface StorageSource {
  readonly s3: S3Client;
  readonly buckets: readonly string[];
}

export interface StorageEntry {
  readonly bucket: string;
  readonly key: string;
  readonly etag: string;
  readonly bytes: number;
  readonly sha256: string;
  /** The `storage.objects` row this file belongs to; absent for a file uploaded after the snapshot. */
  readonly rowId?: string;
  /** The run that first copied these bytes: the blob is in Standard for its first 30 days, then in Glacier IR. */
  readonly copiedRunId: string;
}

export interface StorageManifest {
  readonly format: 'miko-storage/1';
  readonly runId: string;
  readonly entries: readonly StorageEntry[];
  /** Rows of the snapshot whose file was gone when the copy listed the bucket (deleted in between). */
  readonly rowsWithoutObject: readonly string[];
  /** What this run read from the source (the rest came from the previous run's entries). */
  readonly copied: { readonly objects: number; readonly bytes: number };
}

/** Where an environment's photos are kept in the vault, by content; they never expire with the backups. */
export function storagePrefix(envName: string): string {
  return `storage/${envName}/`;
}

/** Files put back at once by a restore. */
export const RESTORE_CONCURRENCY = 8;

export function blobKey(envName: string, sha256: string): string {
  return `${storagePrefix(envName)}blobs/${sha256.slice(0, 2)}/${sha256}`;
}

const sha256Of = (text: string) => createHash('sha256').update(text).digest('hex');

async function* listBucket(s3: S3Client, bucket: string) {
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    for (const o of page.Contents ?? []) yield { key: o.Key!, etag: o.ETag ?? '', bytes: o.Size ?? 0 };
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}

/** Reads a storage manifest and proves it is the one the backup's manifest names. */
export async function readStorageManifest(vault: Vault, summary: StorageSummary): Promise<StorageManifest> {
  const text = await vault.readText(summary.key);
  if (sha256Of(text) !== summary.sha256)
    throw new VerificationError(
      'storage',
      `${summary.key} does not match the SHA-256 its backup manifest records: the storage manifest is damaged. Fix: restore an older backup.`,
    );
  return JSON.parse(text) as StorageManifest;
}

export async function copyStorage(
  vault: Vault,
  source: StorageSource,
  run: {
    readonly envName: string;
    readonly runId: string;
    readonly rows: ReadonlyArray<{ id: string; bucket: string; name: string }>;
    readonly previous?: { readonly vault: Vault; readonly summary: StorageSummary };
  },
): Promise<StorageSummary> {
  const known = new Map<string, StorageEntry>();
  if (run.previous)
    for (const e of (await readStorageManifest(run.previous.vault, run.previous.summary)).entries)
      known.set(`${e.bucket}/${e.key}`, e);
  const rowIds = new Map(run.rows.map((r) => [`${r.bucket}/${r.name}`, r.id]));
  const entries: StorageEntry[] = [];
  const copied = { objects: 0, bytes: 0 };
  const work = mkdtempSync(join(tmpdir(), 'miko-storage-'));
  try {
    for (const bucket of source.buckets) {
      for await (const listed of listBucket(source.s3, bucket)) {
        const id = `${bucket}/${listed.key}`;
        const before = known.get(id);
        let sha256: string;
        let copiedRunId = run.runId;
        if (before && before.etag === listed.etag && before.bytes === listed.bytes) {
          sha256 = before.sha256;
          copiedRunId = before.copiedRunId ?? run.runId;
        } else {
          sha256 = await copyOne(vault, source.s3, bucket, listed.key, run.envName, work);
          copied.objects++;
          copied.bytes += listed.bytes;
        }
        entries.push({
          bucket,
          key: listed.key,
          etag: listed.etag,
          bytes: listed.bytes,
          sha256,
          rowId: rowIds.get(id),
          copiedRunId,
        });
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const listed = new Set(entries.map((e) => `${e.bucket}/${e.key}`));
  const manifest: StorageManifest = {
    format: 'miko-storage/1',
    runId: run.runId,
    entries,
    rowsWithoutObject: run.rows.filter((r) => !listed.has(`${r.bucket}/${r.name}`)).map((r) => r.id),
    copied,
  };
  const key = `${runPrefix(run.envName, run.runId)}storage.json`;
  await vault.putJson(key, manifest);
  return {
    key,
    sha256: sha256Of(JSON.stringify(manifest, null, 2)),
    buckets: source.buckets,
    objects: entries.length,
    bytes: entries.reduce((n, e) => n + e.bytes, 0),
  };
}

/** Downloads one object to disk while hashing it, then stores it under its hash (once: a duplicate is already there). */
async function copyOne(vault: Vault, s3: S3Client, bucket: string, key: string, envName: string, work: string) {
  const file = join(work, 'object');
  const hash = createHash('sha256');
  const body = (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body as Readable;
  body.on('data', (chunk: Buffer) => hash.update(chunk));
  await pipeline(body, createWriteStream(file, { mode: 0o600 }));
  const sha256 = hash.digest('hex');
  const stream = createReadStream(file);
  const closed = once(stream, 'close');
  try {
    await vault.upload(blobKey(envName, sha256), stream, Promise.resolve());
  } catch (error) {
    // The same bytes are already kept (another file, or an earlier run): nothing to store.
    if (!(error instanceof AlreadyInVaultError)) throw error;
  } finally {
    stream.destroy();
    await closed;
    rmSync(file, { force: true });
  }
  return sha256;
}

/**
 * The weekly drill lists every blob (named by its SHA-256) but, to spare Glacier IR retrievals, reads in full only
 * those copied in the last `freshDays` (before they go cold) and this week's hash slice: each at least every `weeks`.
 */
export interface RotatingCheck {
  readonly now: Date;
  readonly weeks: number;
  readonly freshDays: number;
}

export const DRILL_ROTATION = { weeks: 13, freshDays: 30 } as const;

const WEEK_MS = 7 * 24 * 3600 * 1000;

/** Proves the files of a storage manifest are in the vault byte for byte (all, or a rotation); names row ids. */
export async function verifyStorage(
  vault: Vault,
  envName: string,
  manifest: StorageManifest,
  rotation?: RotatingCheck,
): Promise<{ failures: string[]; read: number }> {
  const work = mkdtempSync(join(tmpdir(), 'miko-storage-'));
  const failures: string[] = [];
  const name = (e: StorageEntry) => `object of row ${e.rowId ?? '(no row)'} in ${e.bucket}`;
  let toRead = manifest.entries;
  if (rotation) {
    const present = new Set(await vault.list(`${storagePrefix(envName)}blobs/`));
    for (const e of manifest.entries)
      if (!present.has(blobKey(envName, e.sha256))) failures.push(`${name(e)}: missing from the vault`);
    const freshSince = runIdFor(new Date(rotation.now.getTime() - rotation.freshDays * 24 * 3600 * 1000));
    const slice = Math.floor(rotation.now.getTime() / WEEK_MS) % rotation.weeks;
    toRead = manifest.entries.filter(
      (e) => e.copiedRunId >= freshSince || parseInt(e.sha256.slice(0, 8), 16) % rotation.weeks === slice,
    );
  }
  try {
    for (const e of toRead) {
      await downloadVerified(
        vault,
        { key: blobKey(envName, e.sha256), bytes: e.bytes, sha256: e.sha256 },
        join(work, 'blob'),
        'storage',
      ).catch(() => failures.push(`${name(e)}: SHA-256 does not match its manifest`));
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return { failures: [...new Set(failures)], read: toRead.length };
}

/**
 * Puts every file back through the target's S3 endpoint (RESTORE_CONCURRENCY at once), verified against its SHA-256
 * first. A key the target holds is kept when its bytes match and refused when not: a restore never replaces.
 */
export async function restoreStorage(
  vault: Vault,
  envName: string,
  manifest: StorageManifest,
  target: S3Client,
): Promise<{ restored: number; alreadyThere: number }> {
  const work = mkdtempSync(join(tmpdir(), 'miko-storage-'));
  let restored = 0;
  let alreadyThere = 0;
  let next = 0;
  // Each file is a few round trips over the internet: several at once keep the line busy.
  const worker = async (slot: number) => {
    const file = join(work, `blob-${slot}`);
    while (next < manifest.entries.length) {
      const e = manifest.entries[next++];
      await downloadVerified(
        vault,
        { key: blobKey(envName, e.sha256), bytes: e.bytes, sha256: e.sha256 },
        file,
        'storage',
      );
      const existing = await target.send(new HeadObjectCommand({ Bucket: e.bucket, Key: e.key })).then(
        () => true,
        () => false,
      );
      if (existing) {
        const body = (await target.send(new GetObjectCommand({ Bucket: e.bucket, Key: e.key }))).Body!;
        const there = createHash('sha256')
          .update(Buffer.from(await body.transformToByteArray()))
          .digest('hex');
        if (there !== e.sha256)
          throw new VerificationError(
            'storage',
            `the target already holds a different file for row ${e.rowId ?? '(no row)'} in ${e.bucket}; a restore never replaces one. Fix: restore into an empty bucket, or move the target's file aside first.`,
          );
        alreadyThere++;
        continue;
      }
      await target.send(
        new PutObjectCommand({ Bucket: e.bucket, Key: e.key, Body: readFileSync(file), IfNoneMatch: '*' }),
      );
      restored++;
    }
  };
  try {
    await Promise.all(Array.from({ length: RESTORE_CONCURRENCY }, (_, slot) => worker(slot)));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return { restored, alreadyThere };
}
