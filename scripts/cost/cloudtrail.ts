/**
 * The optional trail (`audit.cloudTrail`, lib/data/account-trail.ts). Its management events are free as the
 * account's first copy, and billed per event as a second one (beside an organization trail): that is why it is off.
 * What it always adds is small: log-file PUTs, a data key per file, and the files kept locked.
 */
import { PRICES } from './prices';

export const TRAIL_ASSUMPTIONS = {
  /** Deploys, the functions' KMS and Secrets Manager calls, operators' commands: an assumption, check it in a real account. */
  managementEventsPerMonth: 300_000,
  /** CloudTrail delivers about every 5 minutes from each region with activity (us-east-1 and the global events). */
  logFilesPerMonth: 2 * 12 * 730,
  /** A digest file every hour from each of 17 regions of a multi-region trail. */
  digestFilesPerMonth: 17 * 730,
  /** Gzipped, about 0.2 KB an event; locked for the audit retention, so storage grows by this every month. */
  gbPerMonth: (300_000 * 0.2) / 1e6,
} as const;

export interface TrailCost {
  /** As the account's first trail. */
  readonly firstCopyUsd: number;
  /** Where an organization trail already delivers the account's management events. */
  readonly secondCopyUsd: number;
  readonly basis: string;
}

export function trailMonthlyCost(retentionMonths: number): TrailCost {
  const a = TRAIL_ASSUMPTIONS;
  const files = a.logFilesPerMonth + a.digestFilesPerMonth;
  // Storage priced at its steady state: every month of the retention kept (capped at the 6 years HIPAA asks).
  const storedGb = a.gbPerMonth * Math.min(retentionMonths, 72);
  const firstCopyUsd =
    (files / 1000) * PRICES.s3PutPer1000 +
    (a.logFilesPerMonth / 10_000) * PRICES.kmsRequestPer10000 +
    storedGb * PRICES.s3StandardGbMonth;
  const eventsUsd = (a.managementEventsPerMonth / 100_000) * PRICES.cloudTrailExtraCopyPer100000Events;
  return {
    firstCopyUsd,
    secondCopyUsd: firstCopyUsd + eventsUsd,
    basis: `${files.toLocaleString('en-US')} files a month (PUT + data key), ${storedGb.toFixed(1)} GB kept; ${a.managementEventsPerMonth.toLocaleString('en-US')} events/month assumed, $${PRICES.cloudTrailExtraCopyPer100000Events}/100k as a second copy`,
  };
}
