/**
 * The steps of docs/runbooks/rebuild-environment.md that run on this machine, timed, beside the modeled AWS and
 * people steps: synthesize, serve the site on the preview (/ and /health answer 200), restore the backup (from
 * `npm run backup -- --to-dir`) into a new PostgreSQL and empty S3 stand-in with every drill check.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { startLocalCluster } from '../jobs/backups/local-cluster';
import { findPgBin } from '../jobs/backups/pg-tools';
import { restoreBackup } from '../jobs/backups/restore';
import { readStorageManifest } from '../jobs/backups/storage-copy';
import { dirVault } from '../jobs/backups/store';
import { newestManifest } from '../jobs/backups/vault-index';
import { EnvironmentName } from '../lib/config';
import { DUMMY_AWS_ENV } from '../tools/stand-ins/aws-endpoints';
import { startFakeS3 } from '../tools/stand-ins/s3';
import { environmentFlag, Io, processIo, runCommand, runIfMain, UsageError } from './lib/command';
import { lostAccount } from './lib/recovery-model';
import { synthesizeApp } from './lib/synthesized';
import { healthHandlerWith } from './preview/handlers';
import { startPreviewServer } from './preview/server';
import { loadSiteModel } from './preview/site-model';

export const USAGE = `usage: npm run rebuild-drill -- --from-dir <backup dir> [--env staging|production]
  Times the rebuild steps that run here (synth, the site on the preview, database + photos restore with every check).
Exit codes: 0 every step passed; 1 a step failed; 2 usage error`;

export interface DrillStep {
  readonly step: string;
  readonly seconds: number;
  readonly detail: string;
}

async function timed(steps: DrillStep[], step: string, run: () => Promise<string>): Promise<void> {
  const started = process.hrtime.bigint();
  const detail = await run();
  steps.push({ step, seconds: Number(process.hrtime.bigint() - started) / 1e9, detail });
}

export async function rebuildDrill(fromDir: string, envName: EnvironmentName): Promise<DrillStep[]> {
  const outdir = mkdtempSync(join(tmpdir(), 'miko-rebuild-drill-'));
  try {
    return await drillSteps(fromDir, envName, outdir);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

async function drillSteps(fromDir: string, envName: EnvironmentName, outdir: string): Promise<DrillStep[]> {
  const steps: DrillStep[] = [];
  let assembly: ReturnType<typeof synthesizeApp> | undefined;
  await timed(steps, `synthesize ${envName} with its policy checks (what the deploy deploys)`, async () => {
    assembly = synthesizeApp(outdir, { environments: [envName] });
    return `${assembly.stacksRecursively.length} stacks`;
  });
  await timed(steps, 'the site up on the preview: / and /health answer 200', async () => {
    const model = loadSiteModel(assembly!, envName);
    const { server, url } = await startPreviewServer(model, {
      port: 0,
      healthHandler: healthHandlerWith(model.healthEnvironment),
    });
    try {
      for (const path of ['/', '/health']) {
        const status = (await fetch(`${url}${path}`)).status;
        if (status !== 200) throw new Error(`${path} answered ${status}`);
      }
      return url;
    } finally {
      server.close();
    }
  });
  const vault = dirVault(fromDir);
  const chosen = await newestManifest(vault);
  if (!chosen) throw new Error(`no backup under ${fromDir}. Fix: npm run backup -- --to-dir ${fromDir} --source <url>`);
  const buckets = chosen.manifest.storage?.buckets ?? [];
  const bucket = await startFakeS3(buckets[0] ?? 'patient-photos');
  const s3 = new S3Client({
    endpoint: bucket.url,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { accessKeyId: DUMMY_AWS_ENV.AWS_ACCESS_KEY_ID, secretAccessKey: DUMMY_AWS_ENV.AWS_SECRET_ACCESS_KEY },
  });
  const pgBin = findPgBin();
  const cluster = await startLocalCluster({ pgBin });
  try {
    if (buckets.length > 1)
      throw new Error(
        `the stand-in serves one bucket; this backup has ${buckets.length}. Fix: drill a one-bucket copy.`,
      );
    await timed(steps, 'restore the database and the photos, every check', async () => {
      const report = await restoreBackup(vault, {
        target: cluster.target,
        pgBin,
        withRoles: true,
        throwaway: true,
        storageTarget: chosen.manifest.storage ? s3 : undefined,
      });
      const photos = chosen.manifest.storage
        ? (await readStorageManifest(vault, chosen.manifest.storage)).entries.length
        : 0;
      return `${report.tables.length} tables, ${photos} photos, checks: ${report.checks.map((c) => c.check).join(', ')}`;
    });
  } finally {
    cluster.stop();
    s3.destroy();
    await bucket.close();
  }
  return steps;
}

const SPEC = {
  name: 'rebuild-drill',
  usage: USAGE,
  options: { 'from-dir': { type: 'string' as const }, env: { type: 'string' as const, default: 'staging' } },
};

export function main(argv: string[], io: Io = processIo): Promise<number> {
  return runCommand(SPEC, argv, io, (values) => {
    const fromDir = values['from-dir'] as string | undefined;
    if (!fromDir)
      throw new UsageError('--from-dir is missing. Fix: --from-dir <a directory npm run backup -- --to-dir wrote>.');
    return drill(fromDir, environmentFlag(values.env), io);
  });
}

async function drill(fromDir: string, env: EnvironmentName, io: Io): Promise<number> {
  try {
    const steps = await rebuildDrill(fromDir, env);
    for (const s of steps) io.out(`${s.seconds.toFixed(1).padStart(7)} s  ${s.step}: ${s.detail}`);
    const measured = steps.reduce((n, s) => n + s.seconds, 0);
    const modeled = lostAccount();
    io.out(
      `measured here: ${measured.toFixed(1)} s. Not runnable here (modeled, ${modeled.hours.toFixed(1)} h for a lost account): ${modeled.steps.map((s) => `${s.step} ${s.minutes} min`).join('; ')}.`,
    );
    return 0;
  } catch (error) {
    io.err(`rebuild-drill FAILED: ${(error as Error).message}`);
    return 1;
  }
}

runIfMain(module, main);
