/**
 * The release bucket, versioned, on 127.0.0.1 (path-style REST/XML): every PUT or copy adds a version; a DELETE
 * without a version id adds a delete marker (GET/HEAD 404 with x-amz-delete-marker); deleting a version id removes
 * exactly it, so removing the latest marker restores the object. `current` is what GET answers: the preview serves it.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StoredObject } from '../../scripts/preview/site-model';
import { requestBody } from '../../scripts/lib/request-body';
import { LocalServer, startLocalServer } from './aws-endpoints';

interface Version {
  readonly versionId: string;
  readonly object?: StoredObject;
  readonly lastModified: Date;
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const xml = (res: ServerResponse, status: number, body: string): void =>
  void res
    .writeHead(status, { 'content-type': 'application/xml' })
    .end(`<?xml version="1.0" encoding="UTF-8"?>\n${body}`);
const s3Error = (res: ServerResponse, status: number, code: string, message: string): void =>
  xml(res, status, `<Error><Code>${code}</Code><Message>${escape(message)}</Message></Error>`);
const newVersionId = () => randomBytes(16).toString('base64url');

export class VersionedBucket {
  /** Key → versions, oldest first. */
  private readonly versions = new Map<string, Version[]>();
  /** Key → the object GET answers now (latest version, unless it is a delete marker). */
  readonly current = new Map<string, StoredObject>();
  private server?: LocalServer;

  constructor(readonly name: string) {}

  async start(): Promise<string> {
    this.server = await startLocalServer((req, res) => {
      this.handle(req, res).catch((error: Error) => s3Error(res, 500, 'InternalError', error.message));
    });
    return this.server.url;
  }

  async stop(): Promise<void> {
    await this.server?.close();
  }

  put(key: string, object: StoredObject): string {
    return this.add(key, object);
  }

  /** Adds a delete marker (what `aws s3 rm` or a careless sync does to a versioned bucket). */
  deleteObject(key: string): string {
    return this.add(key, undefined);
  }

  versionsOf(key: string): readonly Version[] {
    return this.versions.get(key) ?? [];
  }

  keys(): string[] {
    return [...this.versions.keys()].sort();
  }

  private add(key: string, object: StoredObject | undefined): string {
    const versionId = newVersionId();
    const list = this.versions.get(key) ?? [];
    list.push({ versionId, object, lastModified: new Date() });
    this.versions.set(key, list);
    this.refresh(key);
    return versionId;
  }

  private refresh(key: string): void {
    const latest = this.versions.get(key)?.at(-1);
    if (latest?.object) this.current.set(key, latest.object);
    else this.current.delete(key);
  }

  private removeVersion(key: string, versionId: string): boolean {
    const list = this.versions.get(key) ?? [];
    const at = list.findIndex((v) => v.versionId === versionId);
    if (at < 0) return false;
    list.splice(at, 1);
    if (list.length === 0) this.versions.delete(key);
    this.refresh(key);
    return true;
  }

  private version(key: string, versionId: string | null): Version | undefined {
    const list = this.versions.get(key) ?? [];
    return versionId ? list.find((v) => v.versionId === versionId) : list.at(-1);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://s3.local');
    const [, bucketName, ...rest] = url.pathname.split('/');
    const key = decodeURIComponent(rest.join('/'));
    const q = url.searchParams;
    if (bucketName !== this.name)
      return s3Error(res, 404, 'NoSuchBucket', `The specified bucket does not exist: ${bucketName}`);
    const body = await requestBody(req);

    if (req.method === 'GET' && !key && q.has('versions')) return this.listVersions(res, q.get('prefix') ?? '');
    if (req.method === 'GET' && !key && q.get('list-type') === '2') return this.listCurrent(res, q);
    if (req.method === 'POST' && q.has('delete')) {
      const entries = [...body.toString('utf8').matchAll(/<Object>([\s\S]*?)<\/Object>/g)].map((m) => ({
        key: m[1].match(/<Key>([^<]*)<\/Key>/)?.[1] ?? '',
        versionId: m[1].match(/<VersionId>([^<]*)<\/VersionId>/)?.[1],
      }));
      for (const e of entries) {
        if (e.versionId) this.removeVersion(e.key, e.versionId);
        else this.deleteObject(e.key);
      }
      return xml(
        res,
        200,
        `<DeleteResult>${entries.map((e) => `<Deleted><Key>${escape(e.key)}</Key></Deleted>`).join('')}</DeleteResult>`,
      );
    }
    if (!key)
      return s3Error(res, 400, 'InvalidRequest', `this stand-in does not implement ${req.method} ${url.search}`);

    if (req.method === 'GET' || req.method === 'HEAD') {
      const version = this.version(key, q.get('versionId'));
      if (!version?.object) {
        res.setHeader('x-amz-delete-marker', version ? 'true' : 'false');
        if (req.method === 'HEAD') {
          res.writeHead(404).end();
          return;
        }
        return s3Error(res, 404, 'NoSuchKey', 'The specified key does not exist.');
      }
      res.writeHead(200, {
        'content-type': version.object.contentType,
        'cache-control': version.object.cacheControl,
        'content-length': String(version.object.body.length),
        etag: version.object.etag,
        'last-modified': version.lastModified.toUTCString(),
        'x-amz-version-id': version.versionId,
      });
      res.end(req.method === 'HEAD' ? undefined : version.object.body);
      return;
    }
    if (req.method === 'PUT') {
      const copySource = req.headers['x-amz-copy-source'];
      if (typeof copySource === 'string') {
        const source = new URL(`http://x/${decodeURIComponent(copySource).replace(/^\//, '')}`);
        const [, sourceBucket, ...sourceKey] = source.pathname.split('/');
        const from = this.version(sourceKey.join('/'), source.searchParams.get('versionId'));
        if (sourceBucket !== this.name || !from?.object)
          return s3Error(res, 404, 'NoSuchVersion', 'The specified version does not exist.');
        const versionId = this.put(key, from.object);
        res.setHeader('x-amz-version-id', versionId);
        return xml(
          res,
          200,
          `<CopyObjectResult><ETag>${escape(from.object.etag)}</ETag><LastModified>${new Date().toISOString()}</LastModified></CopyObjectResult>`,
        );
      }
      const etag = `"${createHash('md5').update(body).digest('hex')}"`;
      const versionId = this.put(key, {
        body,
        contentType: String(req.headers['content-type'] ?? 'application/octet-stream'),
        cacheControl: String(req.headers['cache-control'] ?? ''),
        etag,
      });
      res.writeHead(200, { etag, 'x-amz-version-id': versionId }).end();
      return;
    }
    if (req.method === 'DELETE') {
      const versionId = q.get('versionId');
      if (versionId) {
        const wasMarker = this.version(key, versionId)?.object === undefined;
        this.removeVersion(key, versionId);
        res
          .writeHead(204, { 'x-amz-version-id': versionId, ...(wasMarker ? { 'x-amz-delete-marker': 'true' } : {}) })
          .end();
        return;
      }
      const marker = this.deleteObject(key);
      res.writeHead(204, { 'x-amz-version-id': marker, 'x-amz-delete-marker': 'true' }).end();
      return;
    }
    s3Error(res, 400, 'InvalidRequest', `this stand-in does not implement ${req.method} ${url.pathname}${url.search}`);
  }

  private listCurrent(res: ServerResponse, q: URLSearchParams): void {
    const prefix = q.get('prefix') ?? '';
    const max = Number(q.get('max-keys') ?? 1000);
    const after = q.get('continuation-token') ?? q.get('start-after') ?? '';
    const keys = [...this.current.keys()].filter((k) => k.startsWith(prefix) && k > after).sort();
    const page = keys.slice(0, max);
    const truncated = keys.length > page.length;
    const contents = page
      .map((k) => {
        const v = this.version(k, null)!;
        return `<Contents><Key>${escape(k)}</Key><LastModified>${v.lastModified.toISOString()}</LastModified><ETag>${escape(v.object!.etag)}</ETag><Size>${v.object!.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
      })
      .join('');
    xml(
      res,
      200,
      `<ListBucketResult><Name>${this.name}</Name><Prefix>${escape(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${max}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${contents}${truncated ? `<NextContinuationToken>${escape(page.at(-1)!)}</NextContinuationToken>` : ''}</ListBucketResult>`,
    );
  }

  /** Every version and delete marker under `prefix`, newest first per key (S3's order); one page. */
  private listVersions(res: ServerResponse, prefix: string): void {
    const entries = this.keys()
      .filter((k) => k.startsWith(prefix))
      .flatMap((k) => {
        const list = this.versions.get(k)!;
        return [...list].reverse().map((v, at) => {
          const common = `<Key>${escape(k)}</Key><VersionId>${v.versionId}</VersionId><IsLatest>${at === 0}</IsLatest><LastModified>${v.lastModified.toISOString()}</LastModified>`;
          return v.object
            ? `<Version>${common}<ETag>${escape(v.object.etag)}</ETag><Size>${v.object.body.length}</Size><StorageClass>STANDARD</StorageClass></Version>`
            : `<DeleteMarker>${common}</DeleteMarker>`;
        });
      });
    xml(
      res,
      200,
      `<ListVersionsResult><Name>${this.name}</Name><Prefix>${escape(prefix)}</Prefix><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>${entries.join('')}</ListVersionsResult>`,
    );
  }
}
