/**
 * The restore drill: the newest backup restored into a throwaway server this task starts itself (initdb on the
 * task's disk; no second container or database to pay for), verified against its manifest, timed, and reported
 * as RestoreDrillSucceeded / RestoreSeconds and a report under `drills/<env>/`. A failed check says which one:
 * `sha256:data`, `table-checks`, …
 */
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { S3Client } from '@aws-sdk/client-s3';
import { ClusterTemplate, startLocalCluster } from './local-cluster';
import { BACKUP_METRICS, publishBackupMetrics } from './metrics';
import { RestoreReport, restoreBackup } from './restore';
import { DrillReport, drillReportKey } from './manifest';
import { VerificationError, putJson } from './vault';

export interface DrillSettings {
  readonly envName: string;
  readonly bucket: string;
  readonly pgBin: string;
  /** For tests: start the throwaway server from a copy of this template instead of running initdb for each drill. */
  readonly serverTemplate?: ClusterTemplate;
}

export type DrillOutcome =
  | { readonly ok: true; readonly report: RestoreReport }
  | { readonly ok: false; readonly check: string; readonly message: string };

export async function runDrill(
  s3: S3Client,
  cloudwatch: CloudWatchClient,
  settings: DrillSettings,
  log: (line: string) => void = () => undefined,
): Promise<DrillOutcome> {
  let outcome: DrillOutcome;
  try {
    const cluster = await startLocalCluster({ pgBin: settings.pgBin, template: settings.serverTemplate });
    try {
      const report = await restoreBackup(s3, {
        bucket: settings.bucket,
        envName: settings.envName,
        target: cluster.target,
        pgBin: settings.pgBin,
        withRoles: true,
        log,
      });
      outcome = { ok: true, report };
    } finally {
      cluster.stop();
    }
  } catch (error) {
    // Any failure, the throwaway server's included, is a failed drill: it must reach the metric, not only a log.
    const check = error instanceof VerificationError ? error.check : 'restore';
    outcome = { ok: false, check, message: (error as Error).message };
  }
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
  await putJson(s3, settings.bucket, drillReportKey(settings.envName, new Date(report.finishedAt)), report);
  return outcome;
}
