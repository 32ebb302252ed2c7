/**
 * The vault never replaces an object: every write is conditional (If-None-Match: *), so a second write of a key
 * fails with 412 PreconditionFailed, as S3 answers, and the first object stays byte for byte. Against the S3
 * stand-in, spoken to by the real @aws-sdk/client-s3.
 */
import { Readable } from 'node:stream';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { AlreadyInVaultError, putJson, uploadStream } from '../../jobs/backups/vault';
import { FakeS3, startFakeS3 } from '../../tools/stand-ins/s3';
import { DUMMY_AWS_ENV } from '../../tools/stand-ins/aws-endpoints';

const BUCKET = 'miko-staging-backups-111111111111';
let server: FakeS3;
let s3: S3Client;

beforeAll(async () => {
  server = await startFakeS3(BUCKET);
  s3 = new S3Client({
    endpoint: server.url,
    forcePathStyle: true,
    region: DUMMY_AWS_ENV.AWS_REGION,
    maxAttempts: 1,
    credentials: { accessKeyId: DUMMY_AWS_ENV.AWS_ACCESS_KEY_ID, secretAccessKey: DUMMY_AWS_ENV.AWS_SECRET_ACCESS_KEY },
  });
});

afterAll(async () => {
  s3?.destroy();
  await server?.close();
});

test('the S3 stand-in answers a conditional PutObject on an existing key with 412 PreconditionFailed, as S3 does', async () => {
  const key = 'probe/plain.txt';
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'first', IfNoneMatch: '*' }));
  const refused = await s3
    .send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'second', IfNoneMatch: '*' }))
    .then(
      () => undefined,
      (error: any) => error,
    );
  expect(refused?.name).toBe('PreconditionFailed');
  expect(refused?.$metadata.httpStatusCode).toBe(412);
  expect(server.objects.get(key)!.body.toString()).toBe('first');
  // Without the condition S3 replaces the object: the condition is what protects the vault.
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'third' }));
  expect(server.objects.get(key)!.body.toString()).toBe('third');
});

test('a second manifest under the same key fails without replacing the first', async () => {
  const key = 'backups/staging/2026-12-01T03-15-00-000Z/manifest.json';
  await putJson(s3, BUCKET, key, { runId: 'first' });
  await expect(putJson(s3, BUCKET, key, { runId: 'second' })).rejects.toThrow(AlreadyInVaultError);
  await expect(putJson(s3, BUCKET, key, { runId: 'second' })).rejects.toThrow(
    /already exists and the vault never replaces an object .*If-None-Match.*Fix:/,
  );
  expect(JSON.parse(server.objects.get(key)!.body.toString())).toEqual({ runId: 'first' });
});

test('a second multipart upload of the same key fails at Complete, is aborted, and leaves the first object as it was', async () => {
  const key = 'backups/staging/2026-12-01T03-15-00-000Z/data.dump';
  const first = Buffer.alloc(200 * 1024, 1);
  await uploadStream(s3, BUCKET, key, Readable.from([first]), Promise.resolve(), 64 * 1024);
  expect(server.objects.get(key)!.etag).toMatch(/^"[0-9a-f]{32}-4"$/);
  await expect(
    uploadStream(s3, BUCKET, key, Readable.from([Buffer.alloc(100 * 1024, 2)]), Promise.resolve(), 64 * 1024),
  ).rejects.toThrow(AlreadyInVaultError);
  expect(server.objects.get(key)!.body.equals(first)).toBe(true);
  expect(server.pendingUploads()).toBe(0);
});
