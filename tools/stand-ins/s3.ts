/**
 * S3 for @aws-sdk/client-s3 (path-style): objects, ListObjectsV2 pages and multipart upload with the semantics the
 * backup job relies on: an upload exists only after Complete; CRC32 checked (BadDigest); S3's ETags;
 * `If-None-Match: *` (PutObject, Complete) on an existing key is 412. `interruptUploadsAfterParts` drops the
 * connection mid-upload. Also Supabase Storage's S3 endpoint in tests.
 */
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import type { ServerResponse } from 'node:http';
import { LocalServer, listen as startLocalServer } from './http';
import { requestBody } from '../../scripts/lib/request-body';

export interface StoredObject {
  readonly body: Buffer;
  readonly contentType?: string;
  /** As S3 quotes it; computed from the body when a test stores an object directly. */
  readonly etag?: string;
  readonly lastModified?: Date;
}

export interface FakeS3Options {
  /** After this many parts have been accepted (across uploads), every further UploadPart's connection is destroyed. */
  interruptUploadsAfterParts?: number;
  /** The next N requests answer 503 SlowDown ("Please reduce your request rate."), as S3 does over a prefix's rate. */
  slowDownNext?: number;
}

export interface FakeS3 extends LocalServer {
  readonly objects: Map<string, StoredObject>;
  /** Multipart uploads started and neither completed nor aborted. */
  readonly pendingUploads: () => number;
  /** Parts accepted so far, across uploads (set `interruptUploadsAfterParts` relative to it). */
  readonly acceptedParts: () => number;
  readonly options: FakeS3Options;
}

const xml = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function error(res: ServerResponse, status: number, code: string, message: string): void {
  res
    .writeHead(status, { 'content-type': 'application/xml' })
    .end(xml(`<Error><Code>${code}</Code><Message>${escape(message)}</Message></Error>`));
}

const md5 = (body: Buffer) => createHash('md5').update(body).digest();

/** S3's ETag: the MD5 of a single PUT's body. */
export function etagOf(body: Buffer): string {
  return `"${md5(body).toString('hex')}"`;
}

function crc32Base64(body: Buffer): string {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32(body) >>> 0);
  return out.toString('base64');
}

export async function startFakeS3(bucket: string, options: FakeS3Options = {}): Promise<FakeS3> {
  const objects = new Map<string, StoredObject>();
  const uploads = new Map<string, { key: string; parts: Map<number, Buffer> }>();
  let acceptedParts = 0;
  let nextUpload = 1;

  const local = await startLocalServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://s3.local');
    const [, bucketName, ...rest] = url.pathname.split('/');
    const key = decodeURIComponent(rest.join('/'));
    const q = url.searchParams;
    if ((options.slowDownNext ?? 0) > 0) {
      options.slowDownNext!--;
      await requestBody(req);
      return error(res, 503, 'SlowDown', 'Please reduce your request rate.');
    }
    if (bucketName !== bucket)
      return error(res, 404, 'NoSuchBucket', `The specified bucket does not exist: ${bucketName}`);
    if (req.headers['content-encoding']?.includes('aws-chunked'))
      return error(res, 501, 'NotImplemented', 'aws-chunked bodies are not supported by this stand-in');
    const body = await requestBody(req);
    const sentCrc = req.headers['x-amz-checksum-crc32'];
    if (typeof sentCrc === 'string' && sentCrc !== crc32Base64(body))
      return error(res, 400, 'BadDigest', 'The CRC32 you specified did not match the calculated checksum.');

    if (req.method === 'GET' && !key && q.get('list-type') === '2') {
      const prefix = q.get('prefix') ?? '';
      const max = Number(q.get('max-keys') ?? 1000);
      const keys = [...objects.keys()].filter((k) => k.startsWith(prefix)).sort();
      const token = q.get('continuation-token');
      const after = token ? Buffer.from(token, 'base64url').toString('utf8') : (q.get('start-after') ?? '');
      const page = keys.filter((k) => k > after).slice(0, max);
      const truncated = keys.filter((k) => k > after).length > page.length;
      const contents = page
        .map(
          (k) =>
            `<Contents><Key>${escape(k)}</Key><LastModified>${(objects.get(k)!.lastModified ?? new Date(0)).toISOString()}</LastModified><ETag>${escape(objects.get(k)!.etag ?? etagOf(objects.get(k)!.body))}</ETag><Size>${objects.get(k)!.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`,
        )
        .join('');
      res
        .writeHead(200, { 'content-type': 'application/xml' })
        .end(
          xml(
            `<ListBucketResult><Name>${bucket}</Name><Prefix>${escape(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${max}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${contents}${truncated ? `<NextContinuationToken>${Buffer.from(page[page.length - 1]).toString('base64url')}</NextContinuationToken>` : ''}</ListBucketResult>`,
          ),
        );
      return;
    }
    if ((req.method === 'GET' || req.method === 'HEAD') && key) {
      const found = objects.get(key);
      if (!found) {
        if (req.method === 'HEAD') return void res.writeHead(404).end();
        return error(res, 404, 'NoSuchKey', 'The specified key does not exist.');
      }
      res.writeHead(200, {
        'content-type': found.contentType ?? 'application/octet-stream',
        'content-length': String(found.body.length),
        etag: found.etag ?? etagOf(found.body),
        'last-modified': (found.lastModified ?? new Date(0)).toUTCString(),
      });
      res.end(req.method === 'HEAD' ? undefined : found.body);
      return;
    }
    if (req.method === 'DELETE' && key && !q.has('uploadId')) {
      objects.delete(key);
      res.writeHead(204).end();
      return;
    }
    // S3 checks If-None-Match: * when the object would become visible (PutObject, CompleteMultipartUpload).
    const keyTaken = req.headers['if-none-match'] === '*' && objects.has(key);
    const preconditionFailed = () =>
      error(res, 412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold');
    if (req.method === 'POST' && q.has('uploads')) {
      const uploadId = `upload-${nextUpload++}`;
      uploads.set(uploadId, { key, parts: new Map() });
      res
        .writeHead(200, { 'content-type': 'application/xml' })
        .end(
          xml(
            `<InitiateMultipartUploadResult><Bucket>${bucket}</Bucket><Key>${escape(key)}</Key><UploadId>${uploadId}</UploadId></InitiateMultipartUploadResult>`,
          ),
        );
      return;
    }
    const uploadId = q.get('uploadId');
    if (uploadId) {
      const upload = uploads.get(uploadId);
      if (!upload || upload.key !== key) return error(res, 404, 'NoSuchUpload', 'The specified upload does not exist.');
      if (req.method === 'PUT' && q.has('partNumber')) {
        if (options.interruptUploadsAfterParts !== undefined && acceptedParts >= options.interruptUploadsAfterParts) {
          req.socket.destroy();
          return;
        }
        acceptedParts++;
        upload.parts.set(Number(q.get('partNumber')), body);
        res
          .writeHead(200, {
            etag: etagOf(body),
            ...(sentCrc ? { 'x-amz-checksum-crc32': String(sentCrc) } : {}),
          })
          .end();
        return;
      }
      if (req.method === 'POST') {
        const numbers = [...body.toString('utf8').matchAll(/<PartNumber>(\d+)<\/PartNumber>/g)].map((m) =>
          Number(m[1]),
        );
        if (numbers.length === 0 || numbers.some((n) => !upload.parts.has(n)))
          return error(res, 400, 'InvalidPart', 'One or more of the specified parts could not be found.');
        // The upload stays open, as in S3: the caller may abort it (or retry under another key).
        if (keyTaken) return preconditionFailed();
        const parts = numbers.map((n) => upload.parts.get(n)!);
        const etag = `"${md5(Buffer.concat(parts.map(md5))).toString('hex')}-${parts.length}"`;
        objects.set(key, {
          body: Buffer.concat(parts),
          contentType: 'application/octet-stream',
          etag,
          lastModified: new Date(),
        });
        uploads.delete(uploadId);
        res
          .writeHead(200, { 'content-type': 'application/xml' })
          .end(
            xml(
              `<CompleteMultipartUploadResult><Bucket>${bucket}</Bucket><Key>${escape(key)}</Key><ETag>${escape(etag)}</ETag></CompleteMultipartUploadResult>`,
            ),
          );
        return;
      }
      if (req.method === 'DELETE') {
        uploads.delete(uploadId);
        res.writeHead(204).end();
        return;
      }
    }
    if (req.method === 'PUT' && key) {
      if (keyTaken) return preconditionFailed();
      const etag = etagOf(body);
      objects.set(key, { body, contentType: req.headers['content-type'], etag, lastModified: new Date() });
      res.writeHead(200, { etag }).end();
      return;
    }
    error(res, 400, 'InvalidRequest', `this stand-in does not implement ${req.method} ${url.pathname}${url.search}`);
  });
  return { ...local, objects, pendingUploads: () => uploads.size, acceptedParts: () => acceptedParts, options };
}
