/**
 * Backup and restore throughput of the job's own code on this machine: a generated database of at least 200 MB
 * (the app's four tables, filled with generate_series) in a local PostgreSQL, backed up into an in-process S3
 * stand-in over HTTP, then restored and verified into a second local server, exactly as the drill does. MB are of
 * the database's on-disk size (what Supabase's dashboard shows), so "seconds per GB" reads against the project's
 * size. Skip it with MIKO_BENCH_SKIP_BACKUPS=1.
 */
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
import { printTable } from './measure';

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
  } finally {
    s3.destroy();
    await vault.close();
    source.stop();
    target.stop();
  }
}
