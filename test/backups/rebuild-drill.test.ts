/**
 * `npm run rebuild-drill`: the rebuild steps that run here, timed, against a backup written by the local backup
 * command from a Supabase-shaped server with photos: synth, the site on the preview, the restore with every check.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClusterTemplate, LocalCluster, startLocalCluster } from '../../jobs/backups/local-cluster';
import { main as backupMain } from '../../scripts/backup';
import { main as drillMain } from '../../scripts/rebuild-drill';
import { DUMMY_AWS_ENV } from '../../tools/stand-ins/aws-endpoints';
import { FakeS3, startFakeS3 } from '../../tools/stand-ins/s3';
import { PG_BIN, testClusterTemplate, withClient } from '../support/postgres';
import { patientsSql, supabaseShapeSql } from '../support/supabase-shape';

jest.setTimeout(240_000);

let template: ClusterTemplate;
let source: LocalCluster;
let photos: FakeS3;
let dir: string;

beforeAll(async () => {
  process.env.SUPABASE_S3_ACCESS_KEY_ID = DUMMY_AWS_ENV.AWS_ACCESS_KEY_ID;
  process.env.SUPABASE_S3_SECRET_ACCESS_KEY = DUMMY_AWS_ENV.AWS_SECRET_ACCESS_KEY;
  template = testClusterTemplate();
  source = await startLocalCluster({ pgBin: PG_BIN, template });
  await withClient(source.target, async (c) => {
    await c.query(supabaseShapeSql());
    await c.query(patientsSql(5));
  });
  photos = await startFakeS3('patient-photos');
  const names = await withClient(source.target, async (c) => (await c.query('SELECT name FROM storage.objects')).rows);
  for (const { name } of names) photos.objects.set(name, { body: Buffer.alloc(4096, name.length) });
  dir = mkdtempSync(join(tmpdir(), 'miko-rebuild-'));
});

afterAll(async () => {
  source?.stop();
  await photos?.close();
  template?.remove();
  rmSync(dir, { recursive: true, force: true });
});

test('times synth, the site on the preview and the restore with every check, and names what it cannot run here', async () => {
  const url = `postgresql://postgres@127.0.0.1:${source.target.port}/postgres`;
  const io = { out: () => undefined, err: (line: string) => fail(line) };
  expect(
    await backupMain(
      ['--to-dir', dir, '--source', url, '--storage-endpoint', photos.url, '--bucket', 'patient-photos'],
      io,
    ),
  ).toBe(0);
  const out: string[] = [];
  const err: string[] = [];
  const code = await drillMain(['--from-dir', dir], { out: (l) => out.push(l), err: (l) => err.push(l) });
  expect(err).toEqual([]);
  expect(code).toBe(0);
  expect(out[0]).toMatch(/^ +\d+\.\d s {2}synthesize staging .*: \d+ stacks$/);
  expect(out[1]).toMatch(/the site up on the preview: \/ and \/health answer 200: http:\/\/127\.0\.0\.1:\d+/);
  expect(out[2]).toMatch(
    /restore the database and the photos, every check: \d+ tables, 5 photos, checks: table-checks, rules, isolation, storage/,
  );
  expect(out[3]).toMatch(
    /measured here: [\d.]+ s\. Not runnable here \(modeled, [\d.]+ h for a lost account\): notice/,
  );
});

test('usage: --help 0, a missing or bad flag 2', async () => {
  const quiet = { out: () => undefined, err: () => undefined };
  expect(await drillMain(['--help'], quiet)).toBe(0);
  expect(await drillMain([], quiet)).toBe(2);
  expect(await drillMain(['--from-dir', dir, '--env', 'prod'], quiet)).toBe(2);
  expect(await drillMain(['--bogus'], quiet)).toBe(2);
});
