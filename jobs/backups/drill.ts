/**
 * The restore drill: the newest backup restored into a throwaway server inside the task (nothing extra to pay for),
 * given Supabase's shape from the dump, verified against its manifest and patient-checks.ts (plus every storage
 * object's SHA-256), and reported as RestoreDrillSucceeded / RestoreSeconds and under `drills/<env>/`. A failure
 * names its checks, comma-joined (`sha256:data`, `table-checks`, `rules`, `password`, `isolation`, `storage`, …).
 */
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ClusterTemplate, startLocalCluster } from './local-cluster';
import { BACKUP_METRICS, publishBackupMetrics } from './metrics';
import type { KnownPatient } from './patient-checks';
import { RestoreReport, restoreBackup } from './restore';
import { DrillReport, drillReportKey } from './manifest';
import type { RotatingCheck } from './storage-copy';
import type { Vault } from './store';
import { VerificationError } from './vault-index';

export interface DrillSettings {
  /** The environment whose newest backup is drilled; the newest of any when absent (a local directory). */
  readonly envName?: string;
  readonly manifestKey?: string;
  readonly pgBin: string;
  readonly knownPatient?: KnownPatient;
  /** The weekly drill reads the photos in a rotation (storage-copy.ts DRILL_ROTATION); --verify-only reads all. */
  readonly photoRotation?: RotatingCheck;
  /** For tests: start the throwaway server from a copy of this template instead of running initdb for each drill. */
  readonly serverTemplate?: ClusterTemplate;
}

export type DrillOutcome =
  | { readonly ok: true; readonly report: RestoreReport }
  | { readonly ok: false; readonly check: string; readonly message: string };

/** Restores into a throwaway server and runs every check; never throws, never writes outside that server. */
export async function drillOnce(
  vault: Vault,
  settings: DrillSettings,
  log: (line: string) => void = () => undefined,
): Promise<DrillOutcome> {
  try {
    const cluster = await startLocalCluster({ pgBin: settings.pgBin, template: settings.serverTemplate });
    try {
      const report = await restoreBackup(vault, {
        envName: settings.envName,
        manifestKey: settings.manifestKey,
        target: cluster.target,
        pgBin: settings.pgBin,
        withRoles: true,
        knownPatient: settings.knownPatient,
        photoRotation: settings.photoRotation,
        throwaway: true,
        log,
      });
      return { ok: true, report };
    } finally {
      cluster.stop();
    }
  } catch (error) {
    // Any failure, the throwaway server's included, is a failed drill: it must reach the metric, not only a log.
    const check = error instanceof VerificationError ? error.check : 'restore';
    return { ok: false, check, message: (error as Error).message };
  }
}

export async function runDrill(
  vault: Vault,
  cloudwatch: CloudWatchClient,
  settings: DrillSettings & { readonly envName: string },
  log: (line: string) => void = () => undefined,
): Promise<DrillOutcome> {
  const outcome = await drillOnce(vault, settings, log);
  await publishBackupMetrics(
    cloudwatch,
    settings.envName,
    outcome.ok
      ? { [BACKUP_METRICS.drillSucceeded]: 1, [BACKUP_METRICS.restoreSeconds]: outcome.report.seconds }
      : { [BACKUP_METRICS.drillSucceeded]: 0 },
  );
  // After the metric, so a vault that refuses the report cannot hide the drill's result.
  const report: DrillReport = outcome.ok
    ? {
        finishedAt: new Date().toISOString(),
        ok: true,
        manifestKey: outcome.report.key,
        seconds: outcome.report.seconds,
      }
    : { finishedAt: new Date().toISOString(), ok: false, check: outcome.check };
  await vault.putJson(drillReportKey(settings.envName, new Date(report.finishedAt)), report);
  return outcome;
}
