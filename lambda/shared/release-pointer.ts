/**
 * The live-release pointer and the kept releases, shared by the deploy's custom resource
 * (lambda/release-pointer) and the rollback command (scripts/rollback.ts).
 *
 * The pointer is one key in a CloudFront KeyValueStore. Its API is signed with SigV4a, which the SDK only does
 * when a SigV4a signer is registered: importing '@aws-sdk/signature-v4a' registers the pure-JS one.
 */
import '@aws-sdk/signature-v4a';
import {
  CloudFrontKeyValueStoreClient,
  DescribeKeyValueStoreCommand,
  GetKeyCommand,
  PutKeyCommand,
} from '@aws-sdk/client-cloudfront-keyvaluestore';
import { DeleteObjectsCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';

/** Must match lib/site/routing.ts and the viewer-request function. */
export const LIVE_RELEASE_KEY = 'live-release';
export const RELEASES_PREFIX = 'releases/';

/** Bounds every listing loop: 100 pages of 1000 keys is far beyond 50 kept releases of a small SPA. */
const MAX_LIST_PAGES = 100;

export interface ReleaseSummary {
  readonly id: string;
  /** Newest upload time of any of its files. */
  readonly uploadedAt: Date;
}

/** Groups `releases/<id>/…` keys into releases, newest first. */
export function summarizeReleases(objects: ReadonlyArray<{ key: string; lastModified: Date }>): ReleaseSummary[] {
  const newest = new Map<string, Date>();
  for (const { key, lastModified } of objects) {
    if (!key.startsWith(RELEASES_PREFIX)) continue;
    const id = key.slice(RELEASES_PREFIX.length).split('/')[0];
    if (!id) continue;
    const seen = newest.get(id);
    if (!seen || lastModified > seen) newest.set(id, lastModified);
  }
  return [...newest]
    .map(([id, uploadedAt]) => ({ id, uploadedAt }))
    .sort((a, b) => b.uploadedAt.getTime() - a.uploadedAt.getTime() || a.id.localeCompare(b.id));
}

/** Releases to delete: all but the `keep` newest besides the live one. The live release is never among them. */
export function releasesToPrune(releases: readonly ReleaseSummary[], live: string, keep: number): string[] {
  return releases
    .filter((r) => r.id !== live)
    .slice(Math.max(0, keep))
    .map((r) => r.id);
}

export async function listReleaseObjects(
  s3: S3Client,
  bucket: string,
): Promise<Array<{ key: string; lastModified: Date }>> {
  const objects: Array<{ key: string; lastModified: Date }> = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_LIST_PAGES; page++) {
    const answer = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: RELEASES_PREFIX, ContinuationToken: token }),
    );
    for (const item of answer.Contents ?? [])
      if (item.Key && item.LastModified) objects.push({ key: item.Key, lastModified: item.LastModified });
    if (!answer.IsTruncated || !answer.NextContinuationToken) return objects;
    token = answer.NextContinuationToken;
  }
  throw new Error(`listing ${bucket}/${RELEASES_PREFIX} did not end after ${MAX_LIST_PAGES} pages`);
}

export async function listReleases(s3: S3Client, bucket: string): Promise<ReleaseSummary[]> {
  return summarizeReleases(await listReleaseObjects(s3, bucket));
}

/** True when the release's index.html is in the bucket (a pointer must never name a release that is not there). */
export async function releaseExists(s3: S3Client, bucket: string, id: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: `${RELEASES_PREFIX}${id}/index.html` }));
    return true;
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === 404 || status === 403) return false;
    throw error;
  }
}

export async function readLiveRelease(kvs: CloudFrontKeyValueStoreClient, kvsArn: string): Promise<string | undefined> {
  try {
    return (await kvs.send(new GetKeyCommand({ KvsARN: kvsArn, Key: LIVE_RELEASE_KEY }))).Value;
  } catch (error) {
    if ((error as { name?: string }).name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

/** Moves the pointer: one conditional write (IfMatch the store's current ETag), seen by every edge within seconds. */
export async function setLiveRelease(kvs: CloudFrontKeyValueStoreClient, kvsArn: string, id: string): Promise<void> {
  const { ETag } = await kvs.send(new DescribeKeyValueStoreCommand({ KvsARN: kvsArn }));
  if (!ETag) throw new Error(`the KeyValueStore ${kvsArn} answered without an ETag; the pointer was not moved`);
  try {
    await kvs.send(new PutKeyCommand({ KvsARN: kvsArn, Key: LIVE_RELEASE_KEY, Value: id, IfMatch: ETag }));
  } catch (error) {
    if ((error as { name?: string }).name !== 'ConflictException') throw error;
    throw new Error(
      `the KeyValueStore ${kvsArn} changed between reading its ETag and writing (another deploy or rollback at the same moment); the pointer was not moved to ${id}. Fix: see which release is live (npm run rollback -- --list) and run again if ${id} should be`,
    );
  }
}

/** Deletes the given releases' objects (current versions; the bucket's lifecycle expires the old versions). */
export async function deleteReleases(
  s3: S3Client,
  bucket: string,
  ids: readonly string[],
  objects: ReadonlyArray<{ key: string }>,
): Promise<number> {
  const doomed = objects
    .filter(({ key }) => ids.some((id) => key.startsWith(`${RELEASES_PREFIX}${id}/`)))
    .map(({ key }) => ({ Key: key }));
  for (let start = 0; start < doomed.length; start += 1000) {
    await s3.send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: doomed.slice(start, start + 1000), Quiet: true } }),
    );
  }
  return doomed.length;
}
