/**
 * The AWS APIs a release touches: CloudFormation DescribeStacks, the KeyValueStore API (writes need If-Match of
 * the ETag), S3 list/head/delete (pages and deletes of at most 1000 keys, 503 SlowDown when throttled), a
 * custom-resource response URL, and the audit bucket as its policy and Object Lock leave it: PutObject only with
 * If-None-Match (else 403), never over a key (412), no DeleteObject (403), and optionally a writer lacking the grant.
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

export interface FakeSiteAws {
  readonly url: string;
  readonly kvsArn: string;
  readonly bucket: string;
  /** The store's keys. */
  readonly store: Map<string, string>;
  /** Bucket objects by key. */
  readonly objects: Map<string, Date>;
  /** Authorization schemes seen on KeyValueStore calls (SigV4a is AWS4-ECDSA-P256-SHA256). */
  readonly kvsAuthSchemes: string[];
  /** The audit bucket (lib/data/audit-trail.ts) and its objects by key. */
  readonly auditBucket: string;
  readonly auditObjects: Map<string, Buffer>;
  /** Bodies PUT to the custom-resource response URL. */
  readonly cfnResponses: Array<Record<string, unknown>>;
  /** Make every KeyValueStore call hang (never answer). */
  hangKvs: boolean;
  /** Answer DescribeStacks with a stack that has no outputs. */
  stackWithoutOutputs: boolean;
  /** Refuse every audit PutObject with 403 AccessDenied, as IAM does a role without the append grant. */
  auditWritesDenied: boolean;
  /** More outputs of the site stack (DistributionId, …), and other stacks by name with their outputs. */
  readonly extraOutputs: Record<string, string>;
  readonly otherStacks: Record<string, Record<string, string>>;
  /**
   * Another writer's PutKey, applied right after the next DescribeKeyValueStore is answered: the ETag a caller
   * just read is stale by the time it writes (a deploy and a rollback at the same moment).
   */
  writeBetweenReadAndWrite?: { readonly key: string; readonly value: string };
  /** The next N KeyValueStore calls are throttled: 429 ThrottlingException, as the service answers over its rate. */
  throttleKvs: number;
  /** Writes refused with 409 ConflictException because their If-Match was not the store's ETag. */
  conflicts: number;
  /**
   * Another writer's PutKey, applied right after the next successful write: what a caller reads back after its
   * write is not what it wrote (a deploy landing just after a rollback).
   */
  writeAfterNextWrite?: { readonly key: string; readonly value?: string };
  /** Keys per ListObjectsV2 page of the release bucket (S3: at most 1000, or the caller's max-keys if fewer). */
  listPageSize: number;
  /** ListObjectsV2 of the release bucket always says IsTruncated with a token (a listing that never ends). */
  listNeverEnds: boolean;
  /** Keys per DeleteObjects request, in order (S3 refuses none, or more than 1000, with MalformedXML). */
  readonly deleteRequests: number[];
  /** The audit bucket answers every call 503 (S3 unavailable there). */
  auditDown: boolean;
  /** The caller lacks s3:ListBucket: S3 then answers HEAD of a missing key 403, not 404. */
  denyListBucket: boolean;
  /** The next N release-bucket calls are throttled: 503 SlowDown, as S3 answers over its request rate. */
  throttleS3: number;
  close(): Promise<void>;
}

const xml = (res: ServerResponse, status: number, body: string) => {
  res.writeHead(status, { 'content-type': 'text/xml' });
  res.end(`<?xml version="1.0" encoding="UTF-8"?>${body}`);
};
const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};
const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => resolve(body));
  });

export async function startFakeSiteAws(stackName: string): Promise<FakeSiteAws> {
  let etag = 1;
  const fake: Omit<FakeSiteAws, 'url' | 'close'> = {
    kvsArn: 'arn:aws:cloudfront::222222222222:key-value-store/0a1b2c3d-0000-4000-8000-000000000001',
    bucket: 'miko-production-site-222222222222',
    auditBucket: 'miko-production-audit-222222222222',
    auditObjects: new Map(),
    store: new Map(),
    objects: new Map(),
    kvsAuthSchemes: [],
    cfnResponses: [],
    hangKvs: false,
    stackWithoutOutputs: false,
    auditWritesDenied: false,
    extraOutputs: {},
    otherStacks: {},
    throttleKvs: 0,
    conflicts: 0,
    listPageSize: 1000,
    listNeverEnds: false,
    deleteRequests: [],
    denyListBucket: false,
    auditDown: false,
    throttleS3: 0,
  };

  const handleKvs = async (req: IncomingMessage, res: ServerResponse, path: string) => {
    fake.kvsAuthSchemes.push(String(req.headers.authorization ?? '').split(' ')[0]);
    if (fake.hangKvs) return; // never answers
    if (fake.throttleKvs > 0) {
      fake.throttleKvs--;
      return json(res, 429, { Message: 'Rate exceeded' }, { 'x-amzn-errortype': 'ThrottlingException' });
    }
    const [, , arn, , key] = path.split('/').map(decodeURIComponent);
    if (arn !== fake.kvsArn)
      return json(res, 404, { Message: 'no such store' }, { 'x-amzn-errortype': 'ResourceNotFoundException' });
    if (req.method === 'GET' && key === undefined) {
      json(
        res,
        200,
        { ItemCount: fake.store.size, TotalSizeInBytes: 10, KvsARN: arn, Created: 1_700_000_000, Status: 'READY' },
        { etag: `E${etag}` },
      );
      const other = fake.writeBetweenReadAndWrite;
      if (other) {
        fake.writeBetweenReadAndWrite = undefined;
        fake.store.set(other.key, other.value);
        etag++;
      }
      return;
    }
    if (req.method === 'GET') {
      if (!fake.store.has(key))
        return json(res, 404, { Message: 'key not found' }, { 'x-amzn-errortype': 'ResourceNotFoundException' });
      return json(res, 200, { Key: key, Value: fake.store.get(key), ItemCount: fake.store.size, TotalSizeInBytes: 10 });
    }
    if (req.method === 'PUT' || req.method === 'DELETE' || (req.method === 'POST' && key === undefined)) {
      const body = JSON.parse((await readBody(req)) || '{}') as {
        Value?: string;
        Puts?: Array<{ Key: string; Value: string }>;
        Deletes?: Array<{ Key: string }>;
      };
      if (req.headers['if-match'] !== `E${etag}` && ++fake.conflicts)
        return json(res, 409, { Message: 'ETag mismatch' }, { 'x-amzn-errortype': 'ConflictException' });
      if (req.method === 'DELETE' && !fake.store.has(key))
        return json(res, 404, { Message: 'key not found' }, { 'x-amzn-errortype': 'ResourceNotFoundException' });
      // UpdateKeys applies its puts and deletes together, as one change of the ETag.
      if (req.method === 'PUT') fake.store.set(key, body.Value!);
      if (req.method === 'DELETE') fake.store.delete(key);
      for (const put of body.Puts ?? []) fake.store.set(put.Key, put.Value);
      for (const gone of body.Deletes ?? []) fake.store.delete(gone.Key);
      etag++;
      json(res, 200, { ItemCount: fake.store.size, TotalSizeInBytes: 10 }, { etag: `E${etag}` });
      const later = fake.writeAfterNextWrite;
      if (later) {
        fake.writeAfterNextWrite = undefined;
        if (later.value === undefined) fake.store.delete(later.key);
        else fake.store.set(later.key, later.value);
        etag++;
      }
      return;
    }
    return json(res, 400, { Message: 'unsupported' });
  };

  const handleAudit = async (req: IncomingMessage, res: ServerResponse, url: URL, key: string) => {
    const denied = (why: string) => xml(res, 403, `<Error><Code>AccessDenied</Code><Message>${why}</Message></Error>`);
    if (fake.auditDown) return xml(res, 503, '<Error><Code>ServiceUnavailable</Code></Error>');
    if (req.method === 'GET' && url.searchParams.get('list-type') === '2') {
      const prefix = url.searchParams.get('prefix') ?? '';
      const keys = [...fake.auditObjects.keys()].filter((k) => k.startsWith(prefix)).sort();
      return xml(
        res,
        200,
        `<ListBucketResult><Name>${fake.auditBucket}</Name><KeyCount>${keys.length}</KeyCount><IsTruncated>false</IsTruncated>${keys
          .map((k) => `<Contents><Key>${k}</Key><Size>${fake.auditObjects.get(k)!.length}</Size></Contents>`)
          .join('')}</ListBucketResult>`,
      );
    }
    if (req.method === 'GET') {
      const body = fake.auditObjects.get(key);
      if (!body) return xml(res, 404, '<Error><Code>NoSuchKey</Code></Error>');
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length) });
      return res.end(body);
    }
    if (req.method === 'PUT') {
      const body = Buffer.from(await readBody(req));
      if (fake.auditWritesDenied)
        return denied('not authorized to perform: s3:PutObject (no identity-based policy allows it)');
      if (req.headers['if-none-match'] !== '*') return denied('explicit deny in the bucket policy (no If-None-Match)');
      if (fake.auditObjects.has(key))
        return xml(res, 412, '<Error><Code>PreconditionFailed</Code><Condition>If-None-Match</Condition></Error>');
      fake.auditObjects.set(key, body);
      res.writeHead(200, { etag: '"audit"' });
      return res.end();
    }
    if (req.method === 'DELETE') return denied('the object is locked in compliance mode');
    return xml(res, 400, '<Error><Code>Unsupported</Code></Error>');
  };

  const handleS3 = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const [, bucket, ...rest] = url.pathname.split('/');
    const key = decodeURIComponent(rest.join('/'));
    if (bucket === fake.auditBucket) return handleAudit(req, res, url, key);
    if (bucket !== fake.bucket) return xml(res, 404, '<Error><Code>NoSuchBucket</Code></Error>');
    if (fake.throttleS3 > 0) {
      fake.throttleS3--;
      return xml(res, 503, '<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>');
    }
    if (req.method === 'GET' && url.searchParams.get('list-type') === '2') {
      const prefix = url.searchParams.get('prefix') ?? '';
      const after = url.searchParams.get('continuation-token') ?? '';
      const pageSize = Math.min(fake.listPageSize, Number(url.searchParams.get('max-keys') ?? 1000));
      const matching = [...fake.objects].filter(([k]) => k.startsWith(prefix) && k > after).sort();
      const items = matching.slice(0, pageSize);
      const truncated = fake.listNeverEnds || matching.length > pageSize;
      const next = truncated ? `<NextContinuationToken>${items.at(-1)?.[0] ?? after}</NextContinuationToken>` : '';
      return xml(
        res,
        200,
        `<ListBucketResult><Name>${bucket}</Name><Prefix>${prefix}</Prefix><KeyCount>${items.length}</KeyCount><IsTruncated>${truncated}</IsTruncated>${next}${items
          .map(
            ([k, d]) =>
              `<Contents><Key>${k}</Key><LastModified>${d.toISOString()}</LastModified><Size>1</Size></Contents>`,
          )
          .join('')}</ListBucketResult>`,
      );
    }
    if (req.method === 'HEAD') {
      res.writeHead(fake.objects.has(key) ? 200 : fake.denyListBucket ? 403 : 404);
      return res.end();
    }
    if (req.method === 'POST' && url.searchParams.has('delete')) {
      const keys = [...(await readBody(req)).matchAll(/<Key>([^<]+)<\/Key>/g)].map((m) => m[1]);
      fake.deleteRequests.push(keys.length);
      if (keys.length === 0 || keys.length > 1000) return xml(res, 400, '<Error><Code>MalformedXML</Code></Error>');
      for (const k of keys) fake.objects.delete(k);
      return xml(
        res,
        200,
        `<DeleteResult>${keys.map((k) => `<Deleted><Key>${k}</Key></Deleted>`).join('')}</DeleteResult>`,
      );
    }
    return xml(res, 400, '<Error><Code>Unsupported</Code></Error>');
  };

  const handleCloudFormation = async (req: IncomingMessage, res: ServerResponse) => {
    const form = new URLSearchParams(await readBody(req));
    const requested = form.get('StackName') ?? '';
    const member = (outputs: Record<string, string>) =>
      Object.entries(outputs)
        .map(([k, v]) => `<member><OutputKey>${k}</OutputKey><OutputValue>${v}</OutputValue></member>`)
        .join('');
    if (form.get('Action') === 'DescribeStacks' && fake.otherStacks[requested]) {
      return xml(
        res,
        200,
        `<DescribeStacksResponse><DescribeStacksResult><Stacks><member><StackName>${requested}</StackName><StackId>id</StackId>` +
          `<CreationTime>2026-11-22T00:00:00Z</CreationTime><StackStatus>UPDATE_COMPLETE</StackStatus><Outputs>${member(fake.otherStacks[requested])}</Outputs></member></Stacks></DescribeStacksResult></DescribeStacksResponse>`,
      );
    }
    if (form.get('Action') !== 'DescribeStacks' || requested !== stackName) {
      return xml(
        res,
        400,
        `<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id ${form.get('StackName')} does not exist</Message></Error></ErrorResponse>`,
      );
    }
    const outputs = fake.stackWithoutOutputs
      ? ''
      : `<Outputs><member><OutputKey>ReleasePointerArn</OutputKey><OutputValue>${fake.kvsArn}</OutputValue></member>` +
        `<member><OutputKey>SiteBucketName</OutputKey><OutputValue>${fake.bucket}</OutputValue></member>` +
        `<member><OutputKey>AuditBucketName</OutputKey><OutputValue>${fake.auditBucket}</OutputValue></member>${member(fake.extraOutputs)}</Outputs>`;
    return xml(
      res,
      200,
      `<DescribeStacksResponse><DescribeStacksResult><Stacks><member><StackName>${stackName}</StackName><StackId>id</StackId>` +
        `<CreationTime>2026-11-22T00:00:00Z</CreationTime><StackStatus>UPDATE_COMPLETE</StackStatus>${outputs}</member></Stacks></DescribeStacksResult></DescribeStacksResponse>`,
    );
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const route = url.pathname.startsWith('/key-value-stores/')
      ? handleKvs(req, res, url.pathname)
      : url.pathname === '/cfn-response'
        ? readBody(req).then((body) => {
            // The response URL is a presigned S3 URL signed without a content type: any other fails its signature.
            if (req.headers['content-type']) return xml(res, 403, '<Error><Code>SignatureDoesNotMatch</Code></Error>');
            fake.cfnResponses.push(JSON.parse(body));
            res.writeHead(200);
            res.end();
          })
        : url.pathname === '/' && req.method === 'POST'
          ? handleCloudFormation(req, res)
          : handleS3(req, res, url);
    route.catch(() => {
      res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  }) as FakeSiteAws;
}
