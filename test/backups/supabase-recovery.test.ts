/**
 * Disaster recovery of what patients entrust, end to end against real PostgreSQL servers shaped as Supabase
 * projects (auth and storage schemas, API roles, RLS policies, bcrypt hashes) and S3 stand-ins in the roles of
 * Supabase Storage's S3 endpoint and the vault, through the operator commands exactly as the README shows them:
 * backup → restore into a new Supabase-shaped project → every check patients need; then the failures, each named.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { S3Client } from '@aws-sdk/client-s3';
import { runBackup } from '../../jobs/backups/backup';
import { runDrill } from '../../jobs/backups/drill';
import { ClusterTemplate, LocalCluster, startLocalCluster } from '../../jobs/backups/local-cluster';
import { BACKUP_METRICS } from '../../jobs/backups/metrics';
import { DRILL_ROTATION, StorageManifest, blobKey, verifyStorage } from '../../jobs/backups/storage-copy';
import { dirVault, s3Vault } from '../../jobs/backups/store';
import type { BackupManifest } from '../../jobs/backups/manifest';
import { newestManifest } from '../../jobs/backups/vault-index';
import { restoreBackup, verifyRestored } from '../../jobs/backups/restore';
import { backupAlarmSpecs } from '../../lib/backups/backup-alarms';
import { main as backupMain } from '../../scripts/backup';
import { main as restoreMain } from '../../scripts/restore';
import { DUMMY_AWS_ENV, startCloudWatch } from '../../tools/stand-ins/aws-endpoints';
import { FakeS3, etagOf, startFakeS3 } from '../../tools/stand-ins/s3';
import { PG_BIN, testClusterTemplate, withClient } from '../support/postgres';
import { KNOWN_PATIENT, patientsSql, supabaseShapeSql } from '../support/supabase-shape';

jest.setTimeout(180_000);

const PATIENTS = 12;
const PHOTOS = 'patient-photos';
const credentials = {
  accessKeyId: DUMMY_AWS_ENV.AWS_ACCESS_KEY_ID,
  secretAccessKey: DUMMY_AWS_ENV.AWS_SECRET_ACCESS_KEY,
};
const s3Client = (endpoint: string) =>
  new S3Client({ endpoint, forcePathStyle: true, region: 'us-east-1', maxAttempts: 1, credentials });
const sha256 = (body: Buffer) => createHash('sha256').update(body).digest('hex');
const urlOf = (cluster: LocalCluster) => `postgresql://postgres@127.0.0.1:${cluster.target.port}/postgres`;

let template: ClusterTemplate;
let source: LocalCluster;
let photos: FakeS3;
let dir: string;
const servers: LocalCluster[] = [];
const stores: FakeS3[] = [];

/** Runs a command in process, as `npm run <name> -- …` would, and keeps what it printed. */
async function run(main: typeof backupMain, argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function supabaseTarget(): Promise<LocalCluster> {
  const target = await startLocalCluster({ pgBin: PG_BIN, template });
  servers.push(target);
  await withClient(target.target, (c) => c.query(supabaseShapeSql()));
  return target;
}

async function emptyBucket(): Promise<FakeS3> {
  const store = await startFakeS3(PHOTOS);
  stores.push(store);
  return store;
}

beforeAll(async () => {
  process.env.SUPABASE_S3_ACCESS_KEY_ID = DUMMY_AWS_ENV.AWS_ACCESS_KEY_ID;
  process.env.SUPABASE_S3_SECRET_ACCESS_KEY = DUMMY_AWS_ENV.AWS_SECRET_ACCESS_KEY;
  process.env.MIKO_KNOWN_PATIENT_PASSWORD = KNOWN_PATIENT.password;
  template = testClusterTemplate();
  source = await startLocalCluster({ pgBin: PG_BIN, template });
  await withClient(source.target, async (c) => {
    await c.query(supabaseShapeSql());
    await c.query(patientsSql(PATIENTS));
  });
  photos = await startFakeS3(PHOTOS);
  const rows = await withClient(source.target, async (c) => (await c.query('SELECT name FROM storage.objects')).rows);
  rows.forEach((r, i) => photos.objects.set(r.name, { body: randomBytes(2048 + i * 512) }));
  dir = mkdtempSync(join(tmpdir(), 'miko-dr-'));
});

afterAll(async () => {
  for (const s of servers) s.stop();
  for (const s of stores) await s.close();
  source?.stop();
  await photos?.close();
  template?.remove();
  rmSync(dir, { recursive: true, force: true });
});

const localBackup = () =>
  run(backupMain, ['--to-dir', dir, '--source', urlOf(source), '--storage-endpoint', photos.url, '--bucket', PHOTOS]);

/** The newest backup in `dir`, made first when this run has none: a test run alone (as Stryker runs it) gets one. */
async function backupInDir(): Promise<NonNullable<Awaited<ReturnType<typeof newestManifest>>>> {
  const newest = await newestManifest(dirVault(dir));
  if (newest) return newest;
  const { code, err } = await localBackup();
  if (code !== 0) throw new Error(`the backup these tests restore failed: ${err}`);
  return (await newestManifest(dirVault(dir)))!;
}

/** `npm run restore -- --from-dir <dir> --verify-only --known-patient <email>`, and any further flags. */
const verifyOnly = (...flags: string[]) =>
  run(restoreMain, ['--from-dir', dir, '--verify-only', '--known-patient', KNOWN_PATIENT.email, ...flags]);

const WEEK_MS = 7 * 24 * 3600 * 1000;
/** Whether the drill's weekly rotation reads `entry` in the week of `now` (the test's own reading of the rule). */
const inWeeksSlice = (entry: { sha256: string }, now: Date) =>
  parseInt(entry.sha256.slice(0, 8), 16) % DRILL_ROTATION.weeks ===
  Math.floor(now.getTime() / WEEK_MS) % DRILL_ROTATION.weeks;

const storageManifestOf = (manifest: BackupManifest) =>
  JSON.parse(readFileSync(join(dir, manifest.storage!.key), 'utf8')) as StorageManifest;

describe('npm run backup -- --to-dir (local)', () => {
  test("dumps roles, the project's schema and the data of public, auth and storage, and every photo tied to its row", async () => {
    const { code, out, err } = await localBackup();
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(new RegExp(`${PATIENTS} storage objects`));
    const { key, manifest } = (await newestManifest(dirVault(dir)))!;
    expect(key).toMatch(/^backups\/local\/[^/]+\/manifest\.json$/);
    const tables = manifest.tables.map((t) => `${t.schema}.${t.table}`);
    expect(tables).toEqual(
      expect.arrayContaining([
        'auth.users',
        'auth.identities',
        'auth.mfa_factors',
        'storage.objects',
        'public.appointments',
      ]),
    );
    // The guide's exclusions: the target's own migration history is never overwritten.
    expect(tables).not.toContain('auth.schema_migrations');
    expect(tables).not.toContain('storage.migrations');
    expect(manifest.tables.find((t) => t.table === 'users')!.rows).toBe(PATIENTS);
    expect(manifest.rules!.policies).toContainEqual(
      expect.stringContaining('storage.objects "patients read their own photos"'),
    );
    expect(manifest.rules!.grants).toContain('public.appointments: SELECT to authenticated');
    const storage = storageManifestOf(manifest);
    const rowIds = await withClient(source.target, async (c) =>
      Object.fromEntries((await c.query('SELECT name, id::text FROM storage.objects')).rows.map((r) => [r.name, r.id])),
    );
    expect(storage.entries).toHaveLength(PATIENTS);
    for (const e of storage.entries) {
      expect(e.rowId).toBe(rowIds[e.key]);
      expect(e.sha256).toBe(sha256(photos.objects.get(e.key)!.body));
      expect(readFileSync(join(dir, blobKey('local', e.sha256))).equals(photos.objects.get(e.key)!.body)).toBe(true);
    }
  });

  test('copies only new or changed objects, and never deletes from the copy what the source deleted', async () => {
    await backupInDir();
    const unchanged = await localBackup();
    expect(unchanged.code).toBe(0);
    const second = (await newestManifest(dirVault(dir)))!.manifest;
    expect(storageManifestOf(second).copied).toEqual({ objects: 0, bytes: 0 });

    const [deleted, changed] = [...photos.objects.keys()].sort();
    const deletedBody = photos.objects.get(deleted)!.body;
    const newBody = randomBytes(4096);
    photos.objects.delete(deleted);
    photos.objects.set(changed, { body: newBody });
    try {
      expect((await localBackup()).code).toBe(0);
      const third = storageManifestOf((await newestManifest(dirVault(dir)))!.manifest);
      expect(third.copied).toEqual({ objects: 1, bytes: newBody.length });
      expect(third.entries.map((e) => e.key)).not.toContain(deleted);
      expect(third.entries.find((e) => e.key === changed)!.sha256).toBe(sha256(newBody));
      expect(readFileSync(join(dir, blobKey('local', sha256(deletedBody)))).equals(deletedBody)).toBe(true);
    } finally {
      photos.objects.set(deleted, { body: deletedBody });
      // The newest backup holds every photo again: a later test does not depend on running before this one.
      await localBackup();
    }
  });

  test('usage errors exit 2 with the usage; --help exits 0', async () => {
    expect((await run(backupMain, ['--help'])).code).toBe(0);
    const missing = await run(backupMain, ['--to-dir', dir]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/--source is missing.*Fix/);
    const lonely = await run(backupMain, ['--to-dir', dir, '--source', urlOf(source), '--bucket', PHOTOS]);
    expect(lonely.code).toBe(2);
    expect(lonely.err).toMatch(/--storage-endpoint and --bucket go together/);
    expect((await run(backupMain, ['--to-dir', dir, '--bogus'])).code).toBe(2);
  });
});

describe('npm run restore -- --from-dir', () => {
  let restoredProject: Promise<{ target: LocalCluster; bucket: FakeS3; outcome: Awaited<ReturnType<typeof run>> }>;
  /** The backup restored into a new Supabase-shaped project, once per run: the later tests judge that project. */
  const restoreIntoNewProject = () =>
    (restoredProject ??= (async () => {
      await backupInDir();
      const target = await supabaseTarget();
      const bucket = await emptyBucket();
      const outcome = await run(restoreMain, [
        '--from-dir',
        dir,
        '--to',
        urlOf(target),
        '--storage-endpoint',
        bucket.url,
        '--known-patient',
        KNOWN_PATIENT.email,
      ]);
      return { target, bucket, outcome };
    })());

  test('--verify-only restores into a throwaway server and passes every check, the known patient included', async () => {
    await backupInDir();
    const { code, out, err } = await verifyOnly();
    expect(err).toBe('');
    expect(code).toBe(0);
    for (const check of ['table-checks', 'rules', 'password', 'isolation', 'storage'])
      expect(out).toMatch(new RegExp(`^ok +${check}: `, 'm'));
    expect(out).toMatch(/verified backups\/local\/.*5 checks passed/);
    expect(out).toMatch(
      /^ok {5}table-checks: \d+ tables in auth, public, storage: every row count and checksum matches$/m,
    );
    expect(out).toMatch(new RegExp(`^ok {5}storage: ${PATIENTS} objects, every SHA-256 matches$`, 'm'));
    expect(out).toMatch(
      /: 5 checks passed \(table-checks, rules, password, isolation, storage\), \d+ tables, 12 storage objects, in /,
    );
    expect(out).not.toContain(KNOWN_PATIENT.password);
  });

  test('restores into a new Supabase-shaped project: patients sign in, see only their rows, get their photos back byte for byte', async () => {
    const { target, bucket, outcome } = await restoreIntoNewProject();
    const { code, out, err } = outcome;
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(
      new RegExp(`^ok {5}storage: ${PATIENTS} objects put back, 0 already there, every SHA-256 matches$`, 'm'),
    );
    expect(out).toMatch(
      new RegExp(
        `^restored backups/local/.*: 5 checks passed \\(.*\\), \\d+ tables, ${PATIENTS} storage objects, in `,
        'm',
      ),
    );
    // Only the practice's own rules were added to Supabase's auth and storage: no definition clashed.
    expect(out).not.toMatch(/ignored \d+ errors/);
    await withClient(target.target, async (c) => {
      const signIn = await c.query(
        'SELECT encrypted_password = extensions.crypt($2, encrypted_password) AS ok FROM auth.users WHERE email = $1',
        [KNOWN_PATIENT.email, KNOWN_PATIENT.password],
      );
      expect(signIn.rows).toEqual([{ ok: true }]);
      // The app's trigger on auth.users did not fire during the restore: one profile per patient, as in the source.
      expect(Number((await c.query('SELECT count(*) FROM public.profiles')).rows[0].count)).toBe(PATIENTS);
      const a = (await c.query('SELECT id::text FROM auth.users WHERE email = $1', [KNOWN_PATIENT.email])).rows[0].id;
      await c.query('BEGIN');
      await c.query('SET LOCAL ROLE authenticated');
      await c.query("SELECT set_config('request.jwt.claims', $1, true)", [
        JSON.stringify({ sub: a, role: 'authenticated' }),
      ]);
      const seen = await c.query('SELECT DISTINCT patient_id::text FROM public.appointments');
      const photosSeen = await c.query('SELECT owner_id FROM storage.objects');
      await c.query('ROLLBACK');
      expect(seen.rows).toEqual([{ patient_id: a }]);
      expect(photosSeen.rows).toEqual([{ owner_id: a }]);
    });
    const { entries } = storageManifestOf((await backupInDir()).manifest);
    expect(bucket.objects.size).toBe(entries.length);
    for (const e of entries) expect(sha256(bucket.objects.get(e.key)!.body)).toBe(e.sha256);
    for (const e of entries) expect(bucket.objects.get(e.key)!.body.equals(photos.objects.get(e.key)!.body)).toBe(true);
  });

  test('--verify-only --to the restored project passes every check, reading the photos from the vault', async () => {
    const { target } = await restoreIntoNewProject();
    const { code, out, err } = await verifyOnly('--to', urlOf(target));
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(new RegExp(`^ok {5}storage: ${PATIENTS} objects, every SHA-256 matches$`, 'm'));
    expect(out).toMatch(/: 5 checks passed \(table-checks, rules, password, isolation, storage\)/);
  });

  test('verifyRestored writes nothing, even when given a storage target: the photos are read in the vault', async () => {
    const { target } = await restoreIntoNewProject();
    const untouched = await emptyBucket();
    const client = s3Client(untouched.url);
    try {
      const report = await verifyRestored(dirVault(dir), {
        target: target.target,
        pgBin: PG_BIN,
        withRoles: false,
        storageTarget: client,
      });
      expect(report.checks.at(-1)).toEqual({
        check: 'storage',
        ok: true,
        detail: `${PATIENTS} objects, every SHA-256 matches`,
      });
      expect(untouched.objects.size).toBe(0);
    } finally {
      client.destroy();
    }
  });

  test('a second restore over the restored project is refused before anything is written', async () => {
    const { target } = await restoreIntoNewProject();
    const before = await withClient(
      target.target,
      async (c) => (await c.query('SELECT count(*) FROM auth.users')).rows[0].count,
    );
    const { code, err } = await run(restoreMain, ['--from-dir', dir, '--to', urlOf(target)]);
    expect(code).toBe(1);
    expect(err).toMatch(/target-not-empty.*already holds rows in .*auth\.users.*Nothing was written/);
    expect(
      await withClient(target.target, async (c) => (await c.query('SELECT count(*) FROM auth.users')).rows[0].count),
    ).toBe(before);
  });

  test('a restore never replaces a different file already in the target bucket', async () => {
    await backupInDir();
    const other = await supabaseTarget();
    const taken = await emptyBucket();
    const [key] = [...photos.objects.keys()];
    taken.objects.set(key, { body: Buffer.from('someone else’s file') });
    const { code, err } = await run(restoreMain, [
      '--from-dir',
      dir,
      '--to',
      urlOf(other),
      '--storage-endpoint',
      taken.url,
    ]);
    expect(code).toBe(1);
    expect(err).toMatch(/storage: the target already holds a different file for row .* a restore never replaces one/);
    expect(err).toMatch(/NOT a verified copy/);
    expect(taken.objects.get(key)!.body.toString()).toBe('someone else’s file');
  });

  test('a dropped policy fails the checks, naming the policy', async () => {
    const { target } = await restoreIntoNewProject();
    await withClient(target.target, (c) =>
      c.query('DROP POLICY "patients see their own appointments" ON public.appointments'),
    );
    try {
      const { code, out, err } = await run(restoreMain, ['--from-dir', dir, '--verify-only', '--to', urlOf(target)]);
      expect(code).toBe(1);
      expect(out).toMatch(/^ok {5}table-checks: /m);
      expect(out).toMatch(/^FAILED rules: .*policy public\.appointments "patients see their own appointments"/m);
      expect(err).toMatch(
        /restore FAILED \(rules\).*policy public\.appointments "patients see their own appointments"/,
      );
    } finally {
      await withClient(target.target, (c) =>
        c.query(
          'CREATE POLICY "patients see their own appointments" ON public.appointments FOR SELECT TO authenticated USING (auth.uid() = patient_id)',
        ),
      );
    }
  });

  test('a changed password hash fails the checks: the known patient could no longer sign in', async () => {
    const { target } = await restoreIntoNewProject();
    const update = (hash: string) =>
      withClient(target.target, (c) =>
        c.query('UPDATE auth.users SET encrypted_password = $2 WHERE email = $1', [KNOWN_PATIENT.email, hash]),
      );
    const original = await withClient(
      target.target,
      async (c) =>
        (await c.query('SELECT encrypted_password FROM auth.users WHERE email = $1', [KNOWN_PATIENT.email])).rows[0]
          .encrypted_password,
    );
    const other = await withClient(
      target.target,
      async (c) =>
        (await c.query("SELECT extensions.crypt('not-the-password', extensions.gen_salt('bf', 6)) AS h")).rows[0].h,
    );
    await update(other);
    try {
      const { code, err } = await run(restoreMain, [
        '--from-dir',
        dir,
        '--verify-only',
        '--to',
        urlOf(target),
        '--known-patient',
        KNOWN_PATIENT.email,
      ]);
      expect(code).toBe(1);
      // Both checks see it: the row differs from the manifest, and the patient could no longer sign in.
      expect(err).toMatch(
        /restore FAILED \(table-checks,password\): table-checks: .*auth\.users \(\d+ rows, expected \d+, checksum differs\)\. \| password: the known test patient's password does not verify against the restored hash in auth\.users/,
      );
    } finally {
      await update(original);
    }
  });

  test('corrupted storage objects fail --verify-only, naming the storage.objects row of each', async () => {
    const entries = storageManifestOf((await backupInDir()).manifest).entries.slice(0, 2);
    const files = entries.map((e) => join(dir, blobKey('local', e.sha256)));
    const good = files.map((file) => readFileSync(file));
    files.forEach((file, i) => {
      const bad = Buffer.from(good[i]);
      bad[10] ^= 0xff;
      writeFileSync(file, bad);
    });
    try {
      const { code, err } = await run(restoreMain, ['--from-dir', dir, '--verify-only']);
      expect(code).toBe(1);
      expect(err).toContain(
        `restore FAILED (storage): storage: 2 objects differ: ${entries.map((e) => `object of row ${e.rowId} in ${PHOTOS}: SHA-256 does not match its manifest`).join('; ')}`,
      );
    } finally {
      files.forEach((file, i) => writeFileSync(file, good[i]));
    }
  });

  test("the weekly drill's rotation reads each photo within 13 weeks and proves every one present", async () => {
    const { key, manifest } = await backupInDir();
    const storage = storageManifestOf(manifest);
    const env = key.split('/')[1];
    // A year on: nothing is fresh any more, so each week reads only its slice.
    const start = Date.now() + 52 * WEEK_MS;
    const readEver = new Set<string>();
    let readPerWeek = 0;
    for (let week = 0; week < DRILL_ROTATION.weeks; week++) {
      const now = new Date(start + week * WEEK_MS);
      const { failures, read } = await verifyStorage(dirVault(dir), env, storage, { ...DRILL_ROTATION, now });
      expect(failures).toEqual([]);
      for (const e of storage.entries) if (inWeeksSlice(e, now)) readEver.add(e.sha256);
      readPerWeek = Math.max(readPerWeek, read);
    }
    expect(readEver.size).toBe(new Set(storage.entries.map((e) => e.sha256)).size);
    expect(readPerWeek).toBeLessThan(storage.entries.length);
    // Fresh photos (copied in the last 30 days) are all read; a missing blob is found whatever the week.
    expect((await verifyStorage(dirVault(dir), env, storage, { ...DRILL_ROTATION, now: new Date() })).read).toBe(
      storage.entries.length,
    );
    const gone = join(dir, blobKey(env, storage.entries[0].sha256));
    const body = readFileSync(gone);
    rmSync(gone);
    try {
      const { failures } = await verifyStorage(dirVault(dir), env, storage, {
        ...DRILL_ROTATION,
        now: new Date(start),
      });
      expect(failures).toContain(`object of row ${storage.entries[0].rowId} in ${PHOTOS}: missing from the vault`);
    } finally {
      writeFileSync(gone, body);
    }
  });

  test('usage errors exit 2 with the usage; --help exits 0', async () => {
    expect((await run(restoreMain, ['--help'])).code).toBe(0);
    expect((await run(restoreMain, ['--from-dir', dir])).err).toMatch(/--to is missing/);
    expect((await run(restoreMain, ['--from-dir', dir, '--env', 'staging', '--verify-only'])).code).toBe(2);
    expect((await run(restoreMain, ['--from-dir', dir, '--verify-only', '--storage-endpoint', 'http://x'])).code).toBe(
      2,
    );
    expect((await run(restoreMain, ['--from-dir', dir, '--verify-only', '--bogus'])).code).toBe(2);
  });
});

describe('restoreBackup, the photo checks of a drill', () => {
  test("reading only this week's slice of old photos, it says how many it read", async () => {
    const { manifest } = await backupInDir();
    const { entries } = storageManifestOf(manifest);
    // A year on: no photo is fresh, so only the week's slice is read.
    const now = new Date(Date.now() + 52 * WEEK_MS);
    const read = entries.filter((e) => inWeeksSlice(e, now)).length;
    const target = await supabaseTarget();
    const report = await restoreBackup(dirVault(dir), {
      target: target.target,
      pgBin: PG_BIN,
      withRoles: false,
      photoRotation: { ...DRILL_ROTATION, now },
    });
    expect(report.checks.map((c) => c.check)).toEqual(['table-checks', 'rules', 'isolation', 'storage']);
    expect(report.checks.at(-1)).toEqual({
      check: 'storage',
      ok: true,
      detail: `${entries.length} objects present, ${read} read (new ones and this week's slice), every SHA-256 read matches`,
    });
    expect(report.storage).toEqual({ objects: entries.length, bytes: manifest.storage!.bytes, restored: 0 });
  });
});

describe('a backup whose manifest lists no extensions (written before manifests listed them)', () => {
  test('--verify-only installs pgcrypto in its throwaway server, and the known patient still signs in', async () => {
    const { key, manifest } = await backupInDir();
    const file = join(dir, key);
    const stored = readFileSync(file);
    writeFileSync(file, JSON.stringify({ ...manifest, extensions: undefined }));
    try {
      const { code, out, err } = await verifyOnly();
      expect(err).toBe('');
      expect(code).toBe(0);
      expect(out).toMatch(/^ok {5}password: the known test patient's password verifies against the restored hash$/m);
    } finally {
      writeFileSync(file, stored);
    }
  });
});

describe('the weekly drill, from the vault', () => {
  test('passes on a good backup, and a password hash changed at the source (a ransomware-style overwrite) fails it and fires the drill alarm', async () => {
    const vaultServer = await startFakeS3('vault');
    stores.push(vaultServer);
    const cloudwatch = await startCloudWatch();
    const s3 = s3Client(vaultServer.url);
    const cw = new CloudWatchClient({ endpoint: cloudwatch.url, region: 'us-east-1', credentials });
    const storage = { s3: s3Client(photos.url), buckets: [PHOTOS] };
    const settings = { envName: 'staging', schemas: ['public'], pgBin: PG_BIN, source: source.target, storage };
    const drill = { envName: 'staging', pgBin: PG_BIN, serverTemplate: template, knownPatient: KNOWN_PATIENT };
    const alarm = backupAlarmSpecs('staging').find((a) => a.slug === 'restore-drill-failed')!;
    const fires = (value: number) => value < alarm.threshold;
    const published = () =>
      cloudwatch.datapoints.filter((d) => d.name === BACKUP_METRICS.drillSucceeded).map((d) => d.value);
    try {
      // Small parts: the dumps and the larger photos go up as multipart uploads, as in production.
      const vault = s3Vault(s3, 'vault', 5 * 1024);
      await runBackup(vault, settings);
      expect(
        vaultServer.objects.get([...vaultServer.objects.keys()].find((k) => k.endsWith('data.dump'))!)!.etag,
      ).toMatch(/-\d+"$/);
      expect(await runDrill(vault, cw, drill)).toMatchObject({ ok: true });
      expect(published()).toEqual([1]);
      expect(fires(published()[0])).toBe(false);

      await withClient(source.target, (c) =>
        c.query(
          "UPDATE auth.users SET encrypted_password = extensions.crypt('locked-by-attacker', extensions.gen_salt('bf', 6)) WHERE email = $1",
          [KNOWN_PATIENT.email],
        ),
      );
      await runBackup(vault, settings, () => new Date(Date.now() + 60_000));
      const outcome = await runDrill(vault, cw, drill);
      expect(outcome.ok || `${outcome.check}: ${outcome.message}`).toMatch(/^password: .*does not verify/);
      expect(published().at(-1)).toBe(0);
      expect(fires(published().at(-1)!)).toBe(true);
      const reports = [...vaultServer.objects.keys()].filter((k) => k.startsWith('drills/staging/')).sort();
      expect(JSON.parse(vaultServer.objects.get(reports.at(-1)!)!.body.toString())).toMatchObject({
        ok: false,
        check: 'password',
      });
      expect(existsSync(dir)).toBe(true);
      expect(etagOf(Buffer.from('x'))).toMatch(/^"[0-9a-f]{32}"$/);
    } finally {
      await withClient(source.target, (c) =>
        c.query(
          "UPDATE auth.users SET encrypted_password = extensions.crypt($2, extensions.gen_salt('bf', 6)) WHERE email = $1",
          [KNOWN_PATIENT.email, KNOWN_PATIENT.password],
        ),
      );
      s3.destroy();
      storage.s3.destroy();
      cw.destroy();
      await cloudwatch.close();
    }
  });
});
