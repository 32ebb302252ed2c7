/**
 * Where a backup is written and read: the S3 vault, or a local directory with the same keys as files
 * (`npm run backup -- --to-dir`, `npm run restore -- --from-dir`), so one restore path reads either. Neither replaces
 * a key (S3 by If-None-Match: *, the directory by linking a finished temp file, which fails if the name is taken),
 * and an object is visible only once complete.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, linkSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { AlreadyInVaultError, PART_SIZE, UploadResult, putJson, uploadStream } from './vault';

export interface Vault {
  /** `s3://bucket` or the directory, for messages. */
  readonly name: string;
  /** Stores a stream under a free key, hashing it; nothing is visible under `key` unless it all arrived. */
  upload(key: string, stream: Readable, finished: Promise<void>): Promise<UploadResult>;
  putJson(key: string, value: unknown): Promise<void>;
  /** The object's bytes as a stream (verify them against a manifest before use). */
  read(key: string): Promise<Readable>;
  readText(key: string): Promise<string>;
  /** Every key under `prefix`, sorted. */
  list(prefix: string): Promise<string[]>;
}

export function s3Vault(s3: S3Client, bucket: string, partSize = PART_SIZE): Vault {
  return {
    name: `s3://${bucket}`,
    upload: (key, stream, finished) => uploadStream(s3, bucket, key, stream, finished, partSize),
    putJson: (key, value) => putJson(s3, bucket, key, value),
    read: async (key) => (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body as Readable,
    readText: async (key) =>
      (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString('utf8'),
    list: async (prefix) => {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await s3.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
        );
        for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return keys.sort();
    },
  };
}

/** Keys are paths under `root`; files are written 0600 (they hold patient data) and never replaced. */
export function dirVault(root: string): Vault {
  const pathOf = (key: string) => {
    if (key.split('/').some((part) => part === '..' || part === '')) throw new Error(`unsafe key ${key}`);
    return join(root, ...key.split('/'));
  };
  // Written beside its final name, then linked into place: link() fails with EEXIST instead of replacing.
  const writeOnce = async (key: string, write: (file: string) => Promise<void>) => {
    const final = pathOf(key);
    mkdirSync(dirname(final), { recursive: true, mode: 0o700 });
    if (existsSync(final)) throw new AlreadyInVaultError(root, key);
    const partial = `${final}.partial-${process.pid}`;
    try {
      await write(partial);
      linkSync(partial, final);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new AlreadyInVaultError(root, key);
      throw error;
    } finally {
      rmSync(partial, { force: true });
    }
  };
  return {
    name: root,
    upload: async (key, stream, finished) => {
      const hash = createHash('sha256');
      let bytes = 0;
      try {
        await writeOnce(key, async (file) => {
          stream.on('data', (chunk: Buffer) => {
            hash.update(chunk);
            bytes += chunk.length;
          });
          await pipeline(stream, createWriteStream(file, { mode: 0o600 }));
          await finished;
        });
      } catch (error) {
        // A refused key leaves the stream unread: release its source (a file, a pg_dump) rather than leave it open.
        stream.destroy();
        throw error;
      }
      return { bytes, sha256: hash.digest('hex') };
    },
    putJson: (key, value) =>
      writeOnce(key, async (file) => {
        const out = createWriteStream(file, { mode: 0o600 });
        await new Promise<void>((resolve, reject) =>
          out.end(JSON.stringify(value, null, 2), () => resolve()).on('error', reject),
        );
      }),
    read: async (key) => createReadStream(pathOf(key)),
    readText: (key) => readFile(pathOf(key), 'utf8'),
    list: async (prefix) => {
      if (!existsSync(root)) return [];
      const keys = (readdirSync(root, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
        .filter((d) => d.isFile() && !d.name.includes('.partial-'))
        .map((d) => relative(root, join(d.parentPath, d.name)).split(sep).join('/'));
      return keys.filter((k) => k.startsWith(prefix)).sort();
    },
  };
}
