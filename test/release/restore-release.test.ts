/**
 * `npm run restore-release` on the record: against a versioned release bucket, the Site stack's outputs and the
 * audit bucket's stand-in (conditional writes), a restore of deleted files is appended with who, the release's
 * files before → the versions restored, and why, and `npm run audit` shows it; a failed append prints NOT
 * RECORDED and exits 4 with the files restored all the same.
 */
import { createHash } from 'node:crypto';
import { EXIT as AUDIT_EXIT } from '../../scripts/audit';
import { DEFAULT_REASON, main } from '../../scripts/restore-release';
import { FakeCloudFront } from '../../tools/stand-ins/cloudfront';
import { LocalServer } from '../../tools/stand-ins/aws-endpoints';
import { FakeSiteAws } from '../../tools/stand-ins/release-aws';
import { startS3Router } from '../../tools/stand-ins/s3-router';
import { VersionedBucket } from '../../tools/stand-ins/versioned-bucket';
import { runMain } from '../support/run-script';
import { auditRecords, auditTimeline, startReleaseAws } from './support';

const DISTRIBUTION_ID = 'E2RESTORE0TEST';
const FILES = ['releases/r1/index.html', 'releases/r1/config.json'];

let siteAws: FakeSiteAws;
let bucket: VersionedBucket;
let s3: LocalServer;
let cloudFront: FakeCloudFront;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  siteAws = await startReleaseAws('r1', []);
  siteAws.extraOutputs.DistributionId = DISTRIBUTION_ID;
  bucket = new VersionedBucket(siteAws.bucket);
  s3 = await startS3Router({ [bucket.name]: await bucket.start(), [siteAws.auditBucket]: siteAws.url });
  cloudFront = new FakeCloudFront(DISTRIBUTION_ID);
  env = {
    AWS_ENDPOINT_URL_S3: s3.url,
    AWS_ENDPOINT_URL_CLOUDFORMATION: siteAws.url,
    AWS_ENDPOINT_URL_CLOUDFRONT_KEYVALUESTORE: siteAws.url,
    AWS_ENDPOINT_URL_CLOUDFRONT: await cloudFront.start(),
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1',
    MIKO_OPERATOR: 'grace@practice',
  };
});
afterAll(async () => {
  await Promise.all([siteAws.close(), bucket.stop(), s3.close(), cloudFront.stop()]);
});

/** The release's files as the deploy wrote them, then deleted (delete markers); the versions a restore copies back. */
async function deleteTheRelease(): Promise<Record<string, string>> {
  const written: Record<string, string> = {};
  for (const key of FILES) {
    const body = Buffer.from(`${key} ${Math.random()}`);
    written[key] = bucket.put(key, {
      body,
      contentType: key.endsWith('.html') ? 'text/html' : 'application/json',
      cacheControl: 'no-cache',
      etag: createHash('md5').update(body).digest('hex'),
    });
  }
  // Versions are ordered by time: the delete comes after the write, as it does in the bucket.
  await new Promise((resolve) => setTimeout(resolve, 5));
  for (const key of FILES) bucket.deleteObject(key);
  return written;
}

it('records what it restored: who, the deleted files before, the versions copied back after, and why; npm run audit shows it', async () => {
  const versions = await deleteTheRelease();
  const { code, stderr } = await runMain(
    main,
    ['--env', 'production', '--release', 'live', '--reason', 'live files deleted by a cleanup script'],
    env,
  );
  expect(stderr).toBe('');
  expect(code).toBe(0);
  expect(FILES.every((key) => bucket.current.has(key))).toBe(true);

  const { exit, text } = await auditTimeline(siteAws);
  expect(exit).toBe(AUDIT_EXIT.intact);
  expect(text).toContain(
    `release-restore grace@practice\n    {"release":"r1","files":"deleted","keys":${JSON.stringify(FILES.slice().sort())}} -> {"release":"r1","restored":{"releases/r1/config.json":"${versions['releases/r1/config.json']}","releases/r1/index.html":"${versions['releases/r1/index.html']}"}}\n    why: live files deleted by a cleanup script`,
  );
});

it('restores but exits 4 with NOT RECORDED when the record cannot be written; the reason defaults', async () => {
  await deleteTheRelease();
  const recordsBefore = auditRecords(siteAws).length;
  siteAws.auditWritesDenied = true;
  try {
    const { code, stderr } = await runMain(main, ['--env', 'production', '--release', 'r1'], env);
    expect(code).toBe(4);
    expect(stderr).toMatch(/NOT RECORDED: the change was made, but the audit record could not be written/);
  } finally {
    siteAws.auditWritesDenied = false;
  }
  expect(FILES.every((key) => bucket.current.has(key))).toBe(true);
  expect(auditRecords(siteAws)).toHaveLength(recordsBefore);

  await deleteTheRelease();
  expect((await runMain(main, ['--env', 'production', '--release', 'r1'], env)).code).toBe(0);
  expect(auditRecords(siteAws).at(-1)).toMatchObject({ action: 'release-restore', why: DEFAULT_REASON });
});

it('writes no record when there was nothing to restore, and refuses an empty --reason', async () => {
  const recordsBefore = auditRecords(siteAws).length;
  expect((await runMain(main, ['--env', 'production', '--release', 'r1'], env)).code).toBe(0);
  expect(auditRecords(siteAws)).toHaveLength(recordsBefore);
  const refused = await runMain(main, ['--env', 'production', '--release', 'r1', '--reason', ' '], env);
  expect(refused.code).toBe(2);
  expect(refused.stderr).toMatch(/--reason is empty/);
});
