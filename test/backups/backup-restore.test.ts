/**
 * The backup job end to end against real PostgreSQL servers on 127.0.0.1 and an S3 stand-in spoken to by the
 * real @aws-sdk/client-s3: back up a seeded app database over TLS (verify-full) as a read-only role, restore it
 * into a second server, and prove the manifest matches; then the bad cases, each with a clear error and nothing
 * half-done.
 */
import { createHash } from 'node:crypto';
import { readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { S3Client } from '@aws-sdk/client-s3';
import { runBackup, BackupSettings } from '../../jobs/backups/backup';
import { runDrill } from '../../jobs/backups/drill';
import { ClusterTemplate, LocalCluster, startLocalCluster } from '../../jobs/backups/local-cluster';
import { runPrefix } from '../../jobs/backups/manifest';
import { BACKUP_METRICS, shrinkPercent } from '../../jobs/backups/metrics';
import type { BackupManifest } from '../../jobs/backups/manifest';
import { RestoreOptions, restoreBackup, verifyRestored } from '../../jobs/backups/restore';
import { CANONICAL_SESSION, tableStats } from '../../jobs/backups/table-stats';
import { clientConfig, targetFromUrl } from '../../jobs/backups/database';
import { EXIT as AUDIT_EXIT, main as audit } from '../../scripts/audit';
import { EXIT, main as restoreMain, parseRestoreArgs, restoreCommand } from '../../scripts/restore';
import { Vault, dirVault, s3Vault } from '../../jobs/backups/store';
import { listManifestKeys, newestManifest, VerificationError } from '../../jobs/backups/vault-index';
import { BACKUP_THRESHOLDS } from '../../lib/backups/backup-alarms';
import { FakeS3, startFakeS3 } from '../../tools/stand-ins/s3';
import { DUMMY_AWS_ENV, startCloudWatch } from '../../tools/stand-ins/aws-endpoints';
import { startFakeSiteAws } from '../../tools/stand-ins/release-aws';
import { startS3Router } from '../../tools/stand-ins/s3-router';
import { runMain } from '../support/run-script';
import { KNOWN_PATIENT } from '../support/supabase-shape';
import { testTempDir } from '../support/temp-dir';
import {
  PG_BIN,
  appSchemaSql,
  backupRoleSql,
  makeCertificates,
  testClusterTemplate,
  withClient,
} from '../support/postgres';

jest.setTimeout(120_000);

const BUCKET = 'miko-staging-backups-111111111111';
const ENV = 'staging';
// Enough rows for every table and a data dump of several 64 KiB parts; the shrink test deletes 60 % of them.
const LEADS = 1000;
// Built at run time: no credential-shaped literal in the repo.
const ADMIN_PASSWORD = ['admin', Date.now().toString(36)].join('-');
const BACKUP_PASSWORD = ['backup', Math.random().toString(36).slice(2)].join('-');

let certs: ReturnType<typeof makeCertificates>;
// Every server of this file starts from one of these: initdb runs twice, not once per server.
let withAdminPassword: ClusterTemplate;
let trustingLoopback: ClusterTemplate;
let source: LocalCluster;
let s3Server: FakeS3;
let s3: S3Client;
let vault: Vault;
let settings: BackupSettings;
let clock = Date.parse('2026-12-01T03:15:00Z');
const tick = () => new Date((clock += 60_000));

const s3Client = (endpoint: string) =>
  new S3Client({
    endpoint,
    forcePathStyle: true,
    region: DUMMY_AWS_ENV.AWS_REGION,
    maxAttempts: 2,
    credentials: { accessKeyId: DUMMY_AWS_ENV.AWS_ACCESS_KEY_ID, secretAccessKey: DUMMY_AWS_ENV.AWS_SECRET_ACCESS_KEY },
  });

beforeAll(async () => {
  certs = makeCertificates();
  withAdminPassword = testClusterTemplate(ADMIN_PASSWORD);
  trustingLoopback = testClusterTemplate();
  source = await startLocalCluster({
    pgBin: PG_BIN,
    template: withAdminPassword,
    tls: { certFile: certs.certFile, keyFile: certs.keyFile },
  });
  const admin = { ...source.target, caFile: certs.caFile };
  await withClient(admin, async (c) => {
    await c.query(appSchemaSql(LEADS));
    await c.query(backupRoleSql('miko_backup', BACKUP_PASSWORD));
  });
  s3Server = await startFakeS3(BUCKET);
  s3 = s3Client(s3Server.url);
  vault = s3Vault(s3, BUCKET, 64 * 1024);
  settings = {
    envName: ENV,
    schemas: ['public'],
    pgBin: PG_BIN,
    source: { ...source.target, user: 'miko_backup', password: BACKUP_PASSWORD, caFile: certs.caFile },
  };
});

afterAll(async () => {
  s3?.destroy();
  await s3Server?.close();
  source?.stop();
  withAdminPassword?.remove();
  trustingLoopback?.remove();
  certs?.remove();
});

async function sourceCounts(): Promise<Record<string, number>> {
  return withClient({ ...source.target, caFile: certs.caFile }, async (c) => {
    const counts: Record<string, number> = {};
    for (const t of ['leads', 'chat_sessions', 'appointments', 'reminders'])
      counts[`public.${t}`] = Number((await c.query(`SELECT count(*) FROM public.${t}`)).rows[0].count);
    return counts;
  });
}

const rolesIn = (cluster: LocalCluster) =>
  withClient(cluster.target, async (c) =>
    (await c.query<{ rolname: string }>('SELECT rolname FROM pg_roles')).rows.map((r) => r.rolname),
  );

/** The newest backup in the vault, made first when this run has none: a test run alone (as Stryker runs it) gets one. */
async function newestBackup(): Promise<NonNullable<Awaited<ReturnType<typeof newestManifest>>>> {
  const newest = await newestManifest(vault, ENV);
  if (newest) return newest;
  await runBackup(vault, settings, tick);
  return (await newestManifest(vault, ENV))!;
}

/** Runs `run` with the newest manifest changed by `change`, then puts the stored one back. */
async function withManifest<T>(change: (m: BackupManifest) => BackupManifest, run: () => Promise<T>): Promise<T> {
  const newest = await newestBackup();
  const original = s3Server.objects.get(newest.key)!;
  s3Server.objects.set(newest.key, { ...original, body: Buffer.from(JSON.stringify(change(newest.manifest))) });
  try {
    return await run();
  } finally {
    s3Server.objects.set(newest.key, original);
  }
}

describe('a nightly backup', () => {
  test('dumps roles, schema and data over verify-full TLS as the read-only role, and restores into a second server with every count and checksum matching', async () => {
    const result = await runBackup(vault, settings, tick);

    expect(result.manifest.objects.map((o) => o.key)).toEqual([
      `${runPrefix(ENV, result.manifest.runId)}roles.sql`,
      `${runPrefix(ENV, result.manifest.runId)}schema.dump`,
      `${runPrefix(ENV, result.manifest.runId)}data.dump`,
    ]);
    for (const o of result.manifest.objects) expect(s3Server.objects.get(o.key)!.body.length).toBe(o.bytes);
    expect(Object.fromEntries(result.manifest.tables.map((t) => [`${t.schema}.${t.table}`, t.rows]))).toEqual(
      await sourceCounts(),
    );
    expect(result.manifest.tables.find((t) => t.table === 'leads')!.rows).toBe(LEADS);
    expect(result.manifest.server.versionNum).toBeGreaterThanOrEqual(150000);
    expect(s3Server.objects.get(result.key)).toBeDefined();
    expect(s3Server.objects.get(`${runPrefix(ENV, result.manifest.runId)}roles.sql`)!.body.toString()).toContain(
      'CREATE ROLE "miko_backup"',
    );
    expect(s3Server.pendingUploads()).toBe(0);

    const target = await startLocalCluster({ pgBin: PG_BIN, template: trustingLoopback });
    try {
      const report = await restoreBackup(vault, {
        envName: ENV,
        target: target.target,
        pgBin: PG_BIN,
        withRoles: true,
      });
      expect(report.key).toBe(result.key);
      expect(report.schemaErrors).toEqual([]);
      expect(report.tables.map((t) => [t.table, t.rows, t.ok])).toEqual(
        result.manifest.tables.map((t) => [`${t.schema}.${t.table}`, t.rows, true]),
      );
      // The restored server really holds the rows (not just a report saying so).
      const restored = await withClient(target.target, async (c) =>
        Number((await c.query('SELECT count(*) FROM public.reminders')).rows[0].count),
      );
      expect(restored).toBe(result.manifest.tables.find((t) => t.table === 'reminders')!.rows);
      // withRoles replayed roles.sql: the source's roles exist in the target.
      expect(await rolesIn(target)).toContain('miko_backup');
    } finally {
      target.stop();
    }
  });

  test('refuses a server whose certificate does not chain to the configured CA (verify-full), writing nothing', async () => {
    const before = s3Server.objects.size;
    await expect(
      runBackup(vault, { ...settings, source: { ...settings.source, caFile: certs.otherCaFile } }, tick),
    ).rejects.toThrow(/cannot connect .*Nothing was written/);
    expect(s3Server.objects.size).toBe(before);
  });

  test('with a wrong password fails with a clear error and writes no object', async () => {
    const before = [...s3Server.objects.keys()];
    await expect(
      runBackup(vault, { ...settings, source: { ...settings.source, password: 'not-the-password' } }, tick),
    ).rejects.toThrow(
      /cannot connect to 127\.0\.0\.1:\d+ as miko_backup: password authentication failed.*Nothing was written to the vault/,
    );
    expect([...s3Server.objects.keys()]).toEqual(before);
    expect(s3Server.pendingUploads()).toBe(0);
  });

  test('interrupted half-way leaves no finished-looking backup, aborts its upload, and leaves the previous backup untouched', async () => {
    const previous = await newestBackup();
    // Digests, not the bodies: jest's toEqual walks a Buffer byte by byte (seconds of CPU for a few hundred KiB).
    const storedDigests = () =>
      previous.manifest.objects.map((o) =>
        createHash('sha256').update(s3Server.objects.get(o.key)!.body).digest('hex'),
      );
    const previousDigests = storedDigests();
    const manifestsBefore = await listManifestKeys(vault, ENV);
    // roles.sql and schema.dump take one part each; the data dump (64 KiB parts here) is cut after its second part.
    s3Server.options.interruptUploadsAfterParts = s3Server.acceptedParts() + 4;
    try {
      await expect(runBackup(vault, settings, tick)).rejects.toThrow(
        /backup .* failed at data\.dump: .*No manifest was written/,
      );
    } finally {
      delete s3Server.options.interruptUploadsAfterParts;
    }
    expect(s3Server.pendingUploads()).toBe(0);
    expect(await listManifestKeys(vault, ENV)).toEqual(manifestsBefore);
    expect(manifestsBefore).toContain(previous.key);
    expect(storedDigests()).toEqual(previousDigests);
  });

  test('rides out an S3 SlowDown (the SDK retries), and fails clearly, writing no manifest, when S3 keeps refusing', async () => {
    const manifestsBefore = await listManifestKeys(vault, ENV);
    s3Server.options.slowDownNext = 1;
    const result = await runBackup(vault, settings, tick);
    expect(s3Server.options.slowDownNext).toBe(0);
    expect(s3Server.objects.get(result.key)).toBeDefined();
    const manifestsAfterOne = await listManifestKeys(vault, ENV);
    expect(manifestsAfterOne).toHaveLength(manifestsBefore.length + 1);

    s3Server.options.slowDownNext = 1_000;
    try {
      await expect(runBackup(vault, settings, tick)).rejects.toThrow(/Please reduce your request rate/);
    } finally {
      s3Server.options.slowDownNext = 0;
    }
    expect(s3Server.pendingUploads()).toBe(0);
    expect(await listManifestKeys(vault, ENV)).toEqual(manifestsAfterOne);
  });
});

describe('the restore drill', () => {
  let cloudwatch: Awaited<ReturnType<typeof startCloudWatch>>;
  let cw: CloudWatchClient;
  beforeAll(async () => {
    cloudwatch = await startCloudWatch();
    cw = new CloudWatchClient({
      endpoint: cloudwatch.url,
      region: 'us-east-1',
      credentials: {
        accessKeyId: DUMMY_AWS_ENV.AWS_ACCESS_KEY_ID,
        secretAccessKey: DUMMY_AWS_ENV.AWS_SECRET_ACCESS_KEY,
      },
    });
  });
  afterAll(async () => {
    cw?.destroy();
    await cloudwatch?.close();
  });
  const drillSettings = () => ({ envName: ENV, pgBin: PG_BIN, serverTemplate: trustingLoopback });
  const published = (name: string) =>
    cloudwatch.datapoints.filter((d) => d.name === name && d.dimensions.Environment === ENV).map((d) => d.value);

  test('restores the newest backup into its own throwaway server and reports success and the restore time', async () => {
    await newestBackup();
    const drillReports = () => [...s3Server.objects.keys()].filter((k) => k.startsWith(`drills/${ENV}/`));
    const [reportsBefore, succeededBefore, secondsBefore] = [
      drillReports(),
      published(BACKUP_METRICS.drillSucceeded).length,
      published(BACKUP_METRICS.restoreSeconds).length,
    ];
    const outcome = await runDrill(vault, cw, drillSettings());
    expect(outcome).toMatchObject({ ok: true });
    expect(published(BACKUP_METRICS.drillSucceeded).slice(succeededBefore)).toEqual([1]);
    expect(published(BACKUP_METRICS.restoreSeconds).slice(secondsBefore)).toEqual([expect.any(Number)]);
    expect(published(BACKUP_METRICS.restoreSeconds).at(-1)).toBeGreaterThan(0);
    const reports = drillReports().filter((k) => !reportsBefore.includes(k));
    expect(reports).toHaveLength(1);
    expect(JSON.parse(s3Server.objects.get(reports[0])!.body.toString())).toMatchObject({
      ok: true,
      manifestKey: (await newestBackup()).key,
    });
  });

  test('fails on a corrupted dump and says which check failed', async () => {
    const newest = await newestBackup();
    const data = newest.manifest.objects.find((o) => o.part === 'data')!;
    const original = s3Server.objects.get(data.key)!;
    const damaged = Buffer.from(original.body);
    damaged[Math.floor(damaged.length / 2)] ^= 0xff;
    s3Server.objects.set(data.key, { ...original, body: damaged });
    try {
      const outcome = await runDrill(vault, cw, drillSettings());
      expect(outcome).toMatchObject({ ok: false, check: 'sha256:data' });
      expect(outcome.ok || outcome.message).toMatch(/data\.dump does not match its manifest .* corrupted/);
      expect(published(BACKUP_METRICS.drillSucceeded).at(-1)).toBe(0);
      const newestReport = [...s3Server.objects.keys()]
        .filter((k) => k.startsWith(`drills/${ENV}/`))
        .sort()
        .at(-1)!;
      expect(JSON.parse(s3Server.objects.get(newestReport)!.body.toString())).toMatchObject({
        ok: false,
        check: 'sha256:data',
      });
    } finally {
      s3Server.objects.set(data.key, original);
    }
  });

  test('fails when the restored rows differ from the manifest (table-checks), naming the table', async () => {
    const oneMoreAppointment = (m: BackupManifest) => ({
      ...m,
      tables: m.tables.map((t) => (t.table === 'appointments' ? { ...t, rows: t.rows + 1 } : t)),
    });
    await withManifest(oneMoreAppointment, async () => {
      const outcome = await runDrill(vault, cw, drillSettings());
      expect(outcome).toMatchObject({ ok: false, check: 'table-checks' });
      expect(outcome.ok || outcome.message).toMatch(/1 of 4 tables differ .*public\.appointments/);
    });
  });
});

describe('npm run restore (the disaster-recovery path)', () => {
  test('restores a chosen backup into the server named by --to and proves every table', async () => {
    const { key } = await newestBackup();
    const target = await startLocalCluster({ pgBin: PG_BIN, template: withAdminPassword });
    try {
      const url = `postgresql://postgres:${encodeURIComponent(ADMIN_PASSWORD)}@127.0.0.1:${target.target.port}/postgres`;
      const options = parseRestoreArgs(['--env', ENV, '--backup', key, '--to', url]);
      const lines: string[] = [];
      const report = await restoreCommand(options, vault, (line) => lines.push(line));
      expect(report.key).toBe(key);
      expect(report.tables.every((t) => t.ok)).toBe(true);
      expect(lines.join('\n')).not.toContain(ADMIN_PASSWORD);
    } finally {
      target.stop();
    }
  });

  test('records a restore into an environment in its audit trail (who, backup and target, why), and exits 4 with NOT RECORDED when it cannot', async () => {
    const { key } = await newestBackup();
    const siteAws = await startFakeSiteAws('Staging-Site');
    // One S3 endpoint for the vault and the audit bucket, as the account has.
    const router = await startS3Router({ [BUCKET]: s3Server.url, [siteAws.auditBucket]: siteAws.url });
    const env = {
      ...DUMMY_AWS_ENV,
      AWS_ENDPOINT_URL_S3: router.url,
      AWS_ENDPOINT_URL_CLOUDFORMATION: siteAws.url,
      MIKO_OPERATOR: 'grace@practice',
    };
    const restoreInto = async (reason: string[]) => {
      const target = await startLocalCluster({ pgBin: PG_BIN, template: withAdminPassword });
      try {
        const url = `postgresql://postgres:${encodeURIComponent(ADMIN_PASSWORD)}@127.0.0.1:${target.target.port}/postgres`;
        const outcome = await runMain(
          restoreMain,
          ['--env', ENV, '--bucket', BUCKET, '--backup', key, '--to', url, ...reason],
          env,
        );
        return { ...outcome, port: target.target.port };
      } finally {
        target.stop();
      }
    };
    try {
      const restored = await restoreInto(['--reason', 'drill: rebuild staging']);
      expect(restored.stderr).toBe('');
      expect(restored.code).toBe(EXIT.ok);
      const trail = await runMain(audit, ['--env', ENV], env);
      expect(trail.code).toBe(AUDIT_EXIT.intact);
      expect(trail.stdout).toMatch(
        new RegExp(
          `restore +grace@practice\\s+\\{"database":"127.0.0.1:${restored.port}/postgres"\\} -> \\{"database":"127.0.0.1:${restored.port}/postgres","restored":"${key}"\\}\\n\\s+why: drill: rebuild staging`,
        ),
      );
      expect(trail.stdout).not.toContain(ADMIN_PASSWORD);
      expect([...siteAws.auditObjects.values()].join('')).not.toContain(ADMIN_PASSWORD);

      siteAws.extraOutputs.AuditBucketName = 'miko-staging-audit-gone';
      const unrecorded = await restoreInto([]);
      expect(unrecorded.code).toBe(EXIT.notRecorded);
      expect(unrecorded.code).toBe(4);
      expect(unrecorded.stdout).toMatch(/restored backups\/staging\//);
      expect(unrecorded.stderr).toMatch(/NOT RECORDED: the change was made, but the audit record could not be written/);
      expect(siteAws.auditObjects.size).toBe(1);
    } finally {
      await router.close();
      await siteAws.close();
    }
  });

  test('refuses a backup of another environment, a missing --to, and a remote target without a CA', () => {
    expect(() =>
      parseRestoreArgs(['--env', ENV, '--backup', 'backups/production/x/manifest.json', '--to', 'postgresql://h/db']),
    ).toThrow(/not a backup of staging/);
    expect(() => parseRestoreArgs(['--env', ENV])).toThrow(/--to is missing/);
    expect(() => clientConfig(targetFromUrl('postgresql://postgres:pw@db.example.com:5432/postgres'))).toThrow(
      /must verify TLS. Fix: .*sslrootcert/,
    );
  });
});

describe('a database that shrank', () => {
  test('by 60 % makes the next backup publish a shrink above the alarm threshold', async () => {
    // A source and an environment of its own: the shared source stays whole for every other test.
    const shrinking = await startLocalCluster({ pgBin: PG_BIN, template: trustingLoopback });
    try {
      await withClient(shrinking.target, (c) => c.query(appSchemaSql(LEADS)));
      const own = { ...settings, envName: 'shrinking', source: shrinking.target };
      const before = (await runBackup(vault, own, tick)).manifest;
      await withClient(shrinking.target, (c) =>
        c.query(
          `DELETE FROM public.leads WHERE id IN (SELECT id FROM public.leads ORDER BY created_at LIMIT ${LEADS * 0.6})`,
        ),
      );
      const result = await runBackup(vault, own, tick);
      expect(result.previousBytes).toBe(before.totalBytes);
      expect(result.manifest.tables.find((t) => t.table === 'leads')!.rows).toBe(LEADS * 0.4);
      const shrink = shrinkPercent(result.manifest.totalBytes, result.previousBytes);
      expect(shrink).toBeGreaterThan(BACKUP_THRESHOLDS.shrinkPercent);
      expect(shrink).toBeLessThan(70);
    } finally {
      shrinking.stop();
    }
  });
});

describe('restoreBackup, check by check', () => {
  // Each test restores the newest backup: one exists even when a test runs alone.
  beforeAll(() => newestBackup());
  // Nothing listens here: a test that must fail before the target is touched gets no further by accident.
  const UNREACHABLE = { host: '127.0.0.1', port: 1, database: 'postgres', user: 'postgres', password: 'x' };
  const options = (target: LocalCluster['target'], lines: string[] = []): RestoreOptions => ({
    envName: ENV,
    target,
    pgBin: PG_BIN,
    withRoles: false,
    log: (line) => void lines.push(line),
  });

  async function withTarget<T>(setupSql: string, run: (target: LocalCluster) => Promise<T>): Promise<T> {
    const target = await startLocalCluster({ pgBin: PG_BIN, template: trustingLoopback });
    try {
      if (setupSql) await withClient(target.target, (c) => c.query(setupSql));
      return await run(target);
    } finally {
      target.stop();
    }
  }

  const scratchDirs = () => readdirSync(tmpdir()).filter((name) => name.startsWith('miko-restore-'));
  const publicTables = (target: LocalCluster) =>
    withClient(target.target, async (c) =>
      (
        await c.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
      ).rows.map((r) => r.tablename),
    );

  test('logs each step, leaves no scratch files, and without withRoles creates no role; verifyRestored then agrees', async () => {
    const { key, manifest } = await newestBackup();
    const scratchBefore = scratchDirs();
    await withTarget('', async (target) => {
      const lines: string[] = [];
      const report = await restoreBackup(vault, options(target.target, lines));
      expect(report.seconds).toBeGreaterThan(0);
      expect(report.seconds).toBeLessThan(300);
      expect(lines[0]).toBe(
        `restoring ${key} (${manifest.totalBytes} bytes, 4 tables, server ${manifest.server.version})`,
      );
      for (const o of manifest.objects) expect(lines).toContain(`verified ${o.key}: ${o.bytes} bytes, sha256 ok`);
      expect(lines).toContain('ok     table-checks: 4 tables in public: every row count and checksum matches');
      expect(report.checks.map((c) => c.check)).toEqual(['table-checks', 'rules', 'isolation']);
      expect(await rolesIn(target)).not.toContain('miko_backup');
      expect(scratchDirs()).toEqual(scratchBefore);

      const verified = await verifyRestored(vault, options(target.target));
      expect(verified).toMatchObject({ key, schemaErrors: [], bytes: manifest.totalBytes });
      expect(verified.tables).toEqual(report.tables);
      expect(verified.checks).toEqual(report.checks);
      expect(verified.seconds).toBeGreaterThan(0);
      expect(verified.seconds).toBeLessThan(300);
    });
  });

  test.each(['roles', 'schema', 'data'])(
    'refuses a manifest that lists no %s object, before touching the target',
    async (part) => {
      await withManifest(
        (m) => ({ ...m, objects: m.objects.filter((o) => o.part !== part) }),
        async () => {
          const error = await restoreBackup(vault, options(UNREACHABLE)).catch((e: unknown) => e);
          expect(error).toBeInstanceOf(VerificationError);
          expect(error).toMatchObject({
            check: `manifest:${part}`,
            message: `the manifest lists no ${part} object. Fix: restore another backup (--backup <key>).`,
          });
        },
      );
    },
  );

  test('names the environment, or where it looked, when there is no backup to restore or verify', async () => {
    await expect(restoreBackup(vault, { ...options(UNREACHABLE), envName: 'production' })).rejects.toMatchObject({
      check: 'manifest',
      message: `no backup of production in s3://${BUCKET} (no manifest under backups/production/). Fix: run "npm run backup".`,
    });
    const empty = dirVault(testTempDir('restore-empty-vault'));
    await expect(restoreBackup(empty, { ...options(UNREACHABLE), envName: undefined })).rejects.toMatchObject({
      check: 'manifest',
      message: `no backup in ${empty.name} (no manifest under backups/<env>/). Fix: run "npm run backup".`,
    });
    await expect(verifyRestored(empty, options(UNREACHABLE))).rejects.toMatchObject({
      check: 'manifest',
      message: `no backup in ${empty.name}. Fix: run "npm run backup".`,
    });
  });

  test('refuses a target whose tables hold rows, naming them, and writes nothing', async () => {
    const filled =
      'CREATE TABLE public.leads (id int); INSERT INTO public.leads VALUES (1); CREATE TABLE public.reminders (id int); INSERT INTO public.reminders VALUES (1);';
    await withTarget(filled, async (target) => {
      await expect(restoreBackup(vault, options(target.target))).rejects.toMatchObject({
        check: 'target-not-empty',
        message:
          'the target already holds rows in public.leads, public.reminders; a restore never writes over data that may be the only good copy. Nothing was written. Fix: restore into a new Supabase project or an empty database.',
      });
      expect(await publicTables(target)).toEqual(['leads', 'reminders']);
    });
  });

  test("reports the schema's errors and goes on, and a data restore that fails rolls back every table", async () => {
    // Empty tables of another shape: the schema's CREATEs fail (ignored), then the data cannot go into them.
    await withTarget(
      'CREATE TABLE public.reminders (x int); CREATE TABLE public.appointments (x int);',
      async (target) => {
        const lines: string[] = [];
        const error = await restoreBackup(vault, options(target.target, lines)).catch((e: unknown) => e);
        expect(error).toMatchObject({ check: 'restore:data' });
        expect((error as Error).message).toMatch(
          /^pg_restore of the data failed and was rolled back: pg_restore failed/,
        );
        const schemaLine = lines.find((l) => l.startsWith('schema restored with'))!;
        const [, count, errors] = /^schema restored with (\d+) ignored errors: (.*); the checks decide$/.exec(
          schemaLine,
        )!;
        // One error per line of pg_restore's report, each kept whole between the separators.
        expect(errors.split(' | ')).toHaveLength(Number(count));
        expect(errors.split(' | ')).toEqual(
          expect.arrayContaining([
            expect.stringMatching(/relation "appointments" already exists$/),
            expect.stringMatching(/relation "reminders" already exists$/),
          ]),
        );
        const rows = await withClient(target.target, async (c) =>
          Number((await c.query('SELECT count(*) FROM public.leads')).rows[0].count),
        );
        expect(rows).toBe(0);
      },
    );
  });

  test("creates the source's extensions in the target, and logs one it cannot create", async () => {
    await withManifest(
      (m) => ({
        ...m,
        extensions: [
          ...(m.extensions ?? []),
          { name: 'pgcrypto', schema: 'extensions' },
          { name: 'no_such_extension', schema: 'public' },
        ],
      }),
      () =>
        withTarget('', async (target) => {
          const lines: string[] = [];
          await restoreBackup(vault, options(target.target, lines));
          const created = await withClient(target.target, async (c) =>
            (
              await c.query<{ extname: string; nspname: string }>(
                'SELECT e.extname, n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace ORDER BY 1',
              )
            ).rows.map((r) => `${r.nspname}.${r.extname}`),
          );
          expect(created).toEqual(['extensions.pgcrypto', 'pg_catalog.plpgsql']);
          expect(lines).toContainEqual(expect.stringMatching(/^extension no_such_extension not created: .+/));
        }),
    );
  });

  test('fails table-checks for a table the restore lacks and for a checksum alone, naming each', async () => {
    await withManifest(
      (m) => ({
        ...m,
        tables: [
          ...m.tables.map((t) => (t.table === 'leads' ? { ...t, checksum: '1' } : t)),
          { schema: 'public', table: 'ghost', rows: 5, checksum: '0' },
        ],
      }),
      () =>
        withTarget('', async (target) => {
          const leads = (await newestBackup()).manifest.tables.find((t) => t.table === 'leads')!.rows;
          const detail = `2 of 5 tables differ from the manifest after restore: public.leads (${leads} rows, expected ${leads}, checksum differs), public.ghost (0 rows, expected 5).`;
          const lines: string[] = [];
          await expect(restoreBackup(vault, options(target.target, lines))).rejects.toMatchObject({
            check: 'table-checks',
            message: `table-checks: ${detail}`,
          });
          expect(lines).toContain(`FAILED table-checks: ${detail}`);
        }),
    );
  });

  test("replays the roles whatever the operator's psqlrc says (ON_ERROR_STOP would stop at the first role that exists)", async () => {
    // The operator's tools: PostgreSQL's own, with a psql that has a start-up file, as an operator's ~/.psqlrc.
    const operatorBin = testTempDir('restore-operator-bin-');
    const psqlrc = join(operatorBin, 'psqlrc');
    writeFileSync(psqlrc, '\\set ON_ERROR_STOP on\n');
    for (const tool of readdirSync(PG_BIN)) symlinkSync(join(PG_BIN, tool), join(operatorBin, tool));
    rmSync(join(operatorBin, 'psql'));
    writeFileSync(join(operatorBin, 'psql'), `#!/bin/sh\nPSQLRC=${psqlrc} exec ${join(PG_BIN, 'psql')} "$@"\n`, {
      mode: 0o755,
    });
    await withTarget('', async (target) => {
      await restoreBackup(vault, { ...options(target.target), pgBin: operatorBin, withRoles: true });
      expect(await rolesIn(target)).toContain('miko_backup');
    });
  });

  test('refuses a schema dump pg_restore cannot read at all, naming the step, and creates no table', async () => {
    const { manifest } = await newestBackup();
    const unreadable = Buffer.from('not a pg_dump archive\n');
    const key = `${runPrefix(ENV, manifest.runId)}unreadable-schema.dump`;
    const sha256 = createHash('sha256').update(unreadable).digest('hex');
    s3Server.objects.set(key, { body: unreadable });
    try {
      await withManifest(
        (m) => ({
          ...m,
          objects: m.objects.map((o) => (o.part === 'schema' ? { ...o, key, bytes: unreadable.length, sha256 } : o)),
        }),
        () =>
          withTarget('', async (target) => {
            const error = await restoreBackup(vault, options(target.target)).catch((e: unknown) => e);
            expect(error).toBeInstanceOf(VerificationError);
            expect(error).toMatchObject({ check: 'restore:schema' });
            expect((error as Error).message).toMatch(
              /^pg_restore of the schema failed: pg_restore failed \(exit 1\): pg_restore: error: input file does not appear to be a valid archive/,
            );
            expect(await publicTables(target)).toEqual([]);
          }),
      );
    } finally {
      s3Server.objects.delete(key);
    }
  });

  test('in a target that is not its own throwaway, a missing pgcrypto fails the password check and nothing is installed', async () => {
    await withTarget('', async (target) => {
      const error = await restoreBackup(vault, { ...options(target.target), knownPatient: KNOWN_PATIENT }).catch(
        (e: unknown) => e,
      );
      expect(error).toMatchObject({
        check: 'password',
        message: 'password: the target has no pgcrypto (crypt()) to verify a hash with',
      });
      const extensions = await withClient(target.target, async (c) =>
        (await c.query<{ extname: string }>('SELECT extname FROM pg_extension')).rows.map((r) => r.extname),
      );
      expect(extensions).toEqual(['plpgsql']);
    });
  });
});

describe('table statistics', () => {
  test('read a table whose name needs quoting, and print rows the same whatever the session time zone', async () => {
    await withClient({ ...source.target, caFile: certs.caFile }, async (c) => {
      await c.query('CREATE TABLE public."odd""name" (at timestamptz); INSERT INTO public."odd""name" VALUES (now())');
      try {
        const statsIn = async (zone: string) => {
          await c.query(`SET TimeZone = '${zone}'`);
          await c.query(CANONICAL_SESSION);
          return tableStats(c, [{ schema: 'public', table: 'odd"name' }]);
        };
        const tokyo = await statsIn('Asia/Tokyo');
        expect(tokyo).toMatchObject([{ schema: 'public', table: 'odd"name', rows: 1 }]);
        expect(await statsIn('America/New_York')).toEqual(tokyo);
      } finally {
        await c.query('DROP TABLE public."odd""name"');
      }
    });
  });
});
