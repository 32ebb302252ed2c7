/**
 * The job's writes to the vault bucket: streaming multipart uploads that hash as they go and are aborted on any
 * failure (so an interrupted upload leaves no object at all), and small JSON objects, each only under a free key.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';

/** 16 MiB parts: 10,000 parts (S3's limit) hold 156 GiB, far beyond this database, and memory stays small. */
export const PART_SIZE = 16 * 1024 * 1024;

export interface UploadResult {
  readonly bytes: number;
  readonly sha256: string;
}

/** Gathers a stream into parts of `partSize` bytes (the last may be shorter). */
async function* parts(stream: Readable, partSize: number): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    pending.push(chunk as Buffer);
    size += (chunk as Buffer).length;
    while (size >= partSize) {
      const all = Buffer.concat(pending);
      yield all.subarray(0, partSize);
      pending = [all.subarray(partSize)];
      size = pending[0].length;
    }
  }
  if (size > 0 || pending.length === 0) yield Buffer.concat(pending);
}

/**
 * Uploads a stream as one object, only if `key` is free (If-None-Match: * on Complete, before which S3 shows nothing).
 * On any error, or if `finished` rejects after the last byte (pg_dump exiting non-zero), it aborts and rethrows.
 */
export async function uploadStream(
  s3: S3Client,
  bucket: string,
  key: string,
  stream: Readable,
  finished: Promise<void>,
  partSize = PART_SIZE,
): Promise<UploadResult> {
  const hash = createHash('sha256');
  let bytes = 0;
  const { UploadId } = await s3.send(
    new CreateMultipartUploadCommand({
      Bucket: bucket,
      Key: key,
      ChecksumAlgorithm: 'CRC32',
      ContentType: 'application/octet-stream',
    }),
  );
  const completed: Array<{ PartNumber: number; ETag?: string; ChecksumCRC32?: string }> = [];
  // Hold the producer's failure until we look at it, so an early exit does not become an unhandled rejection.
  const producer = finished.then(
    () => undefined,
    (error: unknown) => error,
  );
  try {
    let partNumber = 0;
    for await (const body of parts(stream, partSize)) {
      partNumber++;
      hash.update(body);
      bytes += body.length;
      const answer = await s3.send(
        new UploadPartCommand({
          Bucket: bucket,
          Key: key,
          UploadId,
          PartNumber: partNumber,
          Body: body,
          ChecksumAlgorithm: 'CRC32',
        }),
      );
      completed.push({ PartNumber: partNumber, ETag: answer.ETag, ChecksumCRC32: answer.ChecksumCRC32 });
    }
    const failure = await producer;
    if (failure) throw failure;
    await s3
      .send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key: key,
          UploadId,
          MultipartUpload: { Parts: completed },
          IfNoneMatch: '*',
        }),
      )
      .catch((error: unknown) => rethrowIfExists(error, bucket, key));
  } catch (error) {
    stream.destroy();
    await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId })).catch(() => undefined);
    throw error;
  }
  return { bytes, sha256: hash.digest('hex') };
}

/** Thrown when a write found its key already taken: the vault never replaces what it holds. */
export class AlreadyInVaultError extends Error {
  constructor(
    readonly bucket: string,
    readonly key: string,
  ) {
    super(
      `s3://${bucket}/${key} already exists and the vault never replaces an object (a conditional write, If-None-Match: *, refused it). Fix: nothing to repair in the vault; find out what else wrote this key (two runs started in the same millisecond, or a replayed run).`,
    );
  }
}

/** S3 answers 412 PreconditionFailed when If-None-Match: * finds the key taken (409 while a racing write is in flight). */
function rethrowIfExists(error: unknown, bucket: string, key: string): never {
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (status === 412 || status === 409) throw new AlreadyInVaultError(bucket, key);
  throw error;
}

/**
 * A small JSON object (a manifest, a drill report) in one PutObject, with the checksum Object Lock requires, and
 * only if the key is free: a manifest once written is what the backup is.
 */
export async function putJson(s3: S3Client, bucket: string, key: string, value: unknown): Promise<void> {
  await s3
    .send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: JSON.stringify(value, null, 2),
        ContentType: 'application/json',
        ChecksumAlgorithm: 'CRC32',
        IfNoneMatch: '*',
      }),
    )
    .catch((error: unknown) => rethrowIfExists(error, bucket, key));
}
