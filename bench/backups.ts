/**
 * Backup and restore throughput of the job's own code: a generated database in a local PostgreSQL, backed up into
 * an S3 stand-in, restored and verified into a second server as the drill does; then photos to the vault and back,
 * and the RTO model with these rates. MB are of the on-disk size, as Supabase's dashboard shows. Skip it with
 * MIKO_BENCH_SKIP_BACKUPS=1.
 */
import { randomBytes } from 'node:crypto';
import { S3Client } from '@aws-sdk/client-s3';
import { Client } from 'pg';
import { runBackup } from '../jobs/backups/backup';
import { clientConfig } from '../jobs/backups/database';
import { startLocalCluster } from '../jobs/backups/local-cluster';
import { restoreBackup } from '../jobs/backups/restore';
import { s3Vault } from '../jobs/backups/store';
import { findPgBin } from '../jobs/backups/pg-tools';
import { startFakeS3 } from '../tools/stand-ins/s3';
import { DUMMY_AWS_ENV } from '../tools/stand-ins/aws-endpoints';
import { appSchemaSql } from '../test/support/postgres';
import { restoreStorage, readStorageManifest, copyStorage } from '../jobs/backups/storage-copy';
import {
  PHOTO_NETWORK_MB_PER_SECOND,
  REMOTE_SLOWDOWN,
  RPO_GOAL_HOURS,
  RTO_GOAL_HOURS,
  lostAccount,
  lostProject,
  rpoHours,
} from '../scripts/lib/recovery-model';
import { printTable } from './measure';

/** Photos for the objects' rate: 120 of 1 MiB (a phone photo is 1–5 MB). */
const PHOTOS = 120;
const PHOTO_BYTES = 1024 * 1024;

/** Leads to generate: about 1.1 KB on disk per lead with its sessions, appointments and reminders → ~250 MB. */
const LEADS = 220_000;
const TARGET_MB = 200;
const MB = 1024 * 1024;

export async function benchBackups(): Promise<void> {
  if (process.env.MIKO_BENCH_SKIP_BACKUPS === '1') {
    console.log('\n## Backups\n\nskipped (MIKO_BENCH_SKIP_BACKUPS=1)');
    return;
  }
  const pgBin = findPgBin();
  const source = await startLocalCluster({ pgBin });
  const target = await startLocalCluster({ pgBin });
  const vault = await startFakeS3('bench-vault');
  const s3 = new S3Client({
    endpoint: vault.url,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { accessKeyId: DUMMY_AWS_ENV.AWS_ACCESS_KEY_ID, secretAccessKey: DUMMY_AWS_ENV.AWS_SECRET_ACCESS_KEY },
  });
  try {
    const client = new Client(clientConfig(source.target));
    await client.connect();
    const seedStarted = process.hrtime.bigint();
    await client.query(appSchemaSql(LEADS));
    await client.query('VACUUM ANALYZE');
    const seedSeconds = Number(process.hrtime.bigint() - seedStarted) / 1e9;
    const databaseBytes = Number((await client.query("SELECT pg_database_size('postgres') AS bytes")).rows[0].bytes);
    await client.end();
    if (databaseBytes < TARGET_MB * MB)
      throw new Error(
        `the generated database is ${(databaseBytes / MB).toFixed(0)} MB, under the ${TARGET_MB} MB the bench needs: raise LEADS`,
      );

    const backup = await runBackup(s3Vault(s3, 'bench-vault'), {
      envName: 'bench',
      schemas: ['public'],
      pgBin,
      source: source.target,
    });
    const restore = await restoreBackup(s3Vault(s3, 'bench-vault'), {
      envName: 'bench',
      target: target.target,
      pgBin,
      withRoles: true,
    });
    const dbMb = databaseBytes / MB;
    const dumpMb = backup.manifest.totalBytes / MB;
    const secondsPerGb = restore.seconds / (databaseBytes / 1024 ** 3);
    printTable(
      `Backups: ${dbMb.toFixed(0)} MB database (${LEADS.toLocaleString('en')} leads, seeded in ${seedSeconds.toFixed(0)} s), dump ${dumpMb.toFixed(0)} MB`,
      ['step', 'seconds', 'MB/s of database', 'target'],
      [
        [
          'backup (snapshot, counts+checksums, pg_dump ×3, upload)',
          backup.seconds.toFixed(1),
          (dbMb / backup.seconds).toFixed(1),
          'nightly run ≪ 1 h',
        ],
        [
          'restore (download, sha256, pg_restore, counts+checksums)',
          restore.seconds.toFixed(1),
          (dbMb / restore.seconds).toFixed(1),
          'measured → runbook',
        ],
        ['restore time per GB of database', secondsPerGb.toFixed(0), '', 'docs/runbooks/restore-database.md'],
      ],
    );
    const photos = await benchPhotos(s3);
    printRecoveryModel({ dbRestoreSecondsPerGb: secondsPerGb, photoRestoreMbPerSecond: photos.restoreMbPerSecond });
  } finally {
    s3.destroy();
    await vault.close();
    source.stop();
    target.stop();
  }
}

/** Copies PHOTOS objects into the vault through the S3 API and puts them back into an empty bucket, timed. */
export async function benchPhotos(vaultS3: S3Client): Promise<{ restoreMbPerSecond: number }> {
  const source = await startFakeS3('patient-photos');
  const target = await startFakeS3('patient-photos');
  const client = (url: string) =>
    new S3Client({
      endpoint: url,
      forcePathStyle: true,
      region: 'us-east-1',
      credentials: {
        accessKeyId: DUMMY_AWS_ENV.AWS_ACCESS_KEY_ID,
        secretAccessKey: DUMMY_AWS_ENV.AWS_SECRET_ACCESS_KEY,
      },
    });
  const [sourceS3, targetS3] = [client(source.url), client(target.url)];
  try {
    for (let i = 0; i < PHOTOS; i++) source.objects.set(`patient-${i}/before.jpg`, { body: randomBytes(PHOTO_BYTES) });
    const vault = s3Vault(vaultS3, 'bench-vault');
    const mb = (PHOTOS * PHOTO_BYTES) / MB;
    const copyStarted = process.hrtime.bigint();
    const summary = await copyStorage(
      vault,
      { s3: sourceS3, buckets: ['patient-photos'] },
      {
        envName: 'bench',
        runId: 'photos',
        rows: [],
      },
    );
    const copySeconds = Number(process.hrtime.bigint() - copyStarted) / 1e9;
    const restoreStarted = process.hrtime.bigint();
    await restoreStorage(vault, 'bench', await readStorageManifest(vault, summary), targetS3);
    const restoreSeconds = Number(process.hrtime.bigint() - restoreStarted) / 1e9;
    printTable(
      `Photos: ${PHOTOS} objects of ${PHOTO_BYTES / MB} MiB (${mb.toFixed(0)} MB) through the S3 API`,
      ['step', 'seconds', 'MB/s of photos', 'target'],
      [
        [
          'copy (list, GET, SHA-256, PUT by content)',
          copySeconds.toFixed(1),
          (mb / copySeconds).toFixed(1),
          'nightly ≪ 1 h',
        ],
        ['restore (GET, SHA-256, HEAD, PUT)', restoreSeconds.toFixed(1), (mb / restoreSeconds).toFixed(1), 'RTO model'],
      ],
    );
    return { restoreMbPerSecond: mb / restoreSeconds };
  } finally {
    sourceS3.destroy();
    targetS3.destroy();
    await source.close();
    await target.close();
  }
}

export function printRecoveryModel(rates: Parameters<typeof lostProject>[2]): void {
  for (const plan of [lostProject(1, 50, rates), lostAccount()]) {
    printTable(
      `RTO model, ${plan.disaster}${plan.disaster.includes('Supabase') ? ': 1 GB database, 50 GB photos' : ''} → ${plan.hours.toFixed(1)} h (goal ≤ ${RTO_GOAL_HOURS} h)`,
      ['step', 'minutes', 'basis'],
      plan.steps.map((s) => [s.step, s.minutes.toFixed(0), s.basis]),
    );
  }
  const perGbDb = (rates.dbRestoreSecondsPerGb * REMOTE_SLOWDOWN) / 60;
  const perGbPhotos = 1024 / Math.min(rates.photoRestoreMbPerSecond, PHOTO_NETWORK_MB_PER_SECOND) / 60;
  console.log(
    `RTO per GB over the internet: ${perGbDb.toFixed(1)} min per GB of database, ${perGbPhotos.toFixed(1)} min per GB of photos. RPO: ${rpoHours()} h (nightly; goal ≤ ${RPO_GOAL_HOURS} h).`,
  );
}
