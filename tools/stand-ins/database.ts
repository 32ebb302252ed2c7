/**
 * An environment's database side for the game day: a real PostgreSQL server as the Supabase project (synthetic rows
 * only), the backup vault (S3 stand-in) holding one backup made by the real job as `miko_backup`. `newTarget()`
 * starts an empty server, as a new Supabase project, for `npm run restore -- --to …`.
 */
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';

import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { runBackup } from '../../jobs/backups/backup';
import { s3Vault } from '../../jobs/backups/store';
import { DatabaseTarget, withClient } from '../../jobs/backups/database';
import {
  ClusterTemplate,
  initClusterTemplate,
  LocalCluster,
  startLocalCluster,
} from '../../jobs/backups/local-cluster';
import { findPgBin } from '../../jobs/backups/pg-tools';
import { FakeS3, startFakeS3 } from './s3';

/** The tables and how many rows each gets; what a restore must bring back. */
export const SEEDED_ROWS: Readonly<Record<string, number>> = { 'public.bookings': 300, 'public.booking_notes': 600 };

const SEED_SQL = `
  CREATE TABLE public.bookings (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, starts_at timestamptz NOT NULL, status text NOT NULL);
  CREATE TABLE public.booking_notes (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    booking_id bigint NOT NULL REFERENCES public.bookings(id) ON DELETE CASCADE, body text NOT NULL);
  ALTER TABLE public.bookings ENABLE ROW LEVEL SECURITY;
  INSERT INTO public.bookings (starts_at, status)
    SELECT timestamptz '2026-01-01 08:00+00' + g * interval '30 minutes', (ARRAY['requested', 'confirmed'])[1 + g % 2]
    FROM generate_series(1, ${SEEDED_ROWS['public.bookings']}) g;
  INSERT INTO public.booking_notes (booking_id, body) SELECT id, 'synthetic note ' || k FROM public.bookings, generate_series(1, 2) k;
  CREATE ROLE miko_backup LOGIN BYPASSRLS IN ROLE pg_read_all_data;
  ALTER ROLE miko_backup SET default_transaction_read_only = on;`;

export interface StandInDatabase {
  readonly vault: FakeS3;
  readonly vaultBucket: string;
  /** The project's server (stopped by the lost-database fault). */
  readonly source: LocalCluster;
  /** Starts an empty server (a new project) and returns its URL for `--to`. */
  newTarget(): Promise<string>;
  /** Row counts of SEEDED_ROWS' tables at `url`'s server. */
  counts(target: DatabaseTarget): Promise<Record<string, number>>;
  readonly targets: LocalCluster[];
  stop(): Promise<void>;
}

export async function startDatabase(envName: string, vaultBucket: string): Promise<StandInDatabase> {
  const pgBin = findPgBin();
  const dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'miko-gameday-pg-'));
  chmodSync(dir, 0o755); // the servers run as the postgres user when we are root, and must reach their folders
  let template: ClusterTemplate | undefined;
  const targets: LocalCluster[] = [];
  try {
    template = initClusterTemplate({
      pgBin,
      settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', shared_buffers: '16MB' },
      initdbArgs: ['--wal-segsize=1'],
      tempDir: dir,
    });
    const source = await startLocalCluster({ pgBin, template });
    targets.push(source);
    await withClient(source.target, (c) => c.query(SEED_SQL));
    const vault = await startFakeS3(vaultBucket);
    const s3 = new S3Client({
      endpoint: vault.url,
      forcePathStyle: true,
      region: 'us-east-1',
      credentials: { accessKeyId: 'gameday', secretAccessKey: 'gameday' },
    });
    try {
      await runBackup(s3Vault(s3, vaultBucket), {
        envName,
        schemas: ['public'],
        pgBin,
        source: { ...source.target, user: 'miko_backup' },
      });
    } finally {
      s3.destroy();
    }
    const madeFrom = template;
    return {
      vault,
      vaultBucket,
      source,
      targets,
      async newTarget() {
        const target = await startLocalCluster({ pgBin, template: madeFrom });
        targets.push(target);
        return `postgresql://${target.target.user}@${target.target.host}:${target.target.port}/${target.target.database}`;
      },
      counts: (target) =>
        withClient(target, async (c) => {
          const counts: Record<string, number> = {};
          for (const table of Object.keys(SEEDED_ROWS))
            counts[table] = Number((await c.query(`SELECT count(*) FROM ${table}`)).rows[0].count);
          return counts;
        }),
      async stop() {
        for (const t of targets) stopQuietly(t);
        await vault.close();
        madeFrom.remove();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    for (const t of targets) stopQuietly(t);
    template?.remove();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** A server the fault already stopped may be stopped again at the end. */
function stopQuietly(cluster: LocalCluster): void {
  try {
    cluster.stop();
  } catch {
    // already stopped
  }
}
