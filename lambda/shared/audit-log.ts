/**
 * The audit trail: one JSON record per change, written once (If-None-Match `*`, which the bucket policy requires)
 * to the compliance-mode Object Lock bucket of lib/data/audit-trail.ts. Each record holds the previous one's hash,
 * so `readAuditTrail` reports any record removed, reordered or forged.
 */
import { createHash } from 'node:crypto';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

export type AuditAction =
  | 'deploy'
  | 'canary-start'
  | 'canary-weight'
  | 'canary-promote'
  | 'canary-abort'
  | 'rollback'
  | 'flag-set'
  | 'secret-rotation'
  | 'restore'
  | 'release-restore';

export interface AuditEntry {
  readonly env: string;
  readonly action: AuditAction;
  /** The CI run (repository, run id, actor) or the person's identity. */
  readonly who: string;
  readonly before: unknown;
  readonly after: unknown;
  /** Required of every writer (commands take --reason). */
  readonly why: string;
}

export interface AuditRecord extends AuditEntry {
  readonly at: string;
  readonly previousHash: string;
  readonly hash: string;
}

/** The first record's previousHash. */
export const GENESIS_HASH = '0'.repeat(64);
const MAX_LIST_PAGES = 100;

const prefixOf = (env: string) => `audit/${env}/`;

function hashOf(record: Omit<AuditRecord, 'hash'>): string {
  const { env, action, who, before, after, why, at, previousHash } = record;
  return createHash('sha256')
    .update(JSON.stringify({ env, action, who, before, after, why, at, previousHash }))
    .digest('hex');
}

async function listKeys(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_LIST_PAGES; page++) {
    const answer = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const item of answer.Contents ?? []) if (item.Key) keys.push(item.Key);
    if (!answer.IsTruncated || !answer.NextContinuationToken) return keys.sort();
    token = answer.NextContinuationToken;
  }
  throw new Error(`listing ${bucket}/${prefix} did not end after ${MAX_LIST_PAGES} pages`);
}

async function readRecord(s3: S3Client, bucket: string, key: string): Promise<AuditRecord> {
  const answer = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return JSON.parse(await answer.Body!.transformToString('utf8')) as AuditRecord;
}

/** Appends one record, chained to the newest one; never overwrites (If-None-Match: *). */
export async function appendAuditRecord(
  s3: S3Client,
  bucket: string,
  entry: AuditEntry,
  now: () => Date = () => new Date(),
): Promise<AuditRecord> {
  if (!entry.why.trim()) throw new Error('an audit record needs a reason. Fix: pass --reason "<why>".');
  const keys = await listKeys(s3, bucket, prefixOf(entry.env));
  const previousHash = keys.length ? (await readRecord(s3, bucket, keys[keys.length - 1])).hash : GENESIS_HASH;
  const unhashed = { ...entry, at: now().toISOString(), previousHash };
  const record: AuditRecord = { ...unhashed, hash: hashOf(unhashed) };
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: `${prefixOf(entry.env)}${record.at}-${record.hash.slice(0, 12)}.json`,
      Body: JSON.stringify(record),
      ContentType: 'application/json',
      IfNoneMatch: '*',
    }),
  );
  return record;
}

export interface AuditTrail {
  readonly records: AuditRecord[];
  /** Every record whose hash or link does not hold, in words. Empty for an intact trail. */
  readonly breaks: string[];
}

/** The environment's records, oldest first, from `since` on; the whole chain is checked either way. */
export async function readAuditTrail(s3: S3Client, bucket: string, env: string, since?: Date): Promise<AuditTrail> {
  const keys = await listKeys(s3, bucket, prefixOf(env));
  const records: AuditRecord[] = [];
  for (const key of keys) records.push(await readRecord(s3, bucket, key));
  const breaks: string[] = [];
  records.forEach((record, i) => {
    const { hash, ...unhashed } = record;
    if (hashOf(unhashed) !== hash) breaks.push(`${keys[i]}: its content does not match its hash (altered)`);
    const expected = i === 0 ? GENESIS_HASH : records[i - 1].hash;
    if (record.previousHash !== expected)
      breaks.push(`${keys[i]}: does not follow ${i === 0 ? 'the start' : keys[i - 1]} (a record removed or inserted)`);
  });
  return { records: since ? records.filter((r) => new Date(r.at) >= since) : records, breaks };
}

/** Who is making a change: the CI run when in GitHub Actions, else the operator (MIKO_OPERATOR or the OS user). */
export function actorFrom(env: NodeJS.ProcessEnv, osUser: () => string): string {
  if (env.GITHUB_ACTIONS === 'true')
    return `github:${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID} (${env.GITHUB_ACTOR})`;
  return env.MIKO_OPERATOR || `local:${osUser()}`;
}
