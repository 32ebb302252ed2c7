/**
 * What keeping patients' photos off-site costs as the practice grows: the vault keeps every photo by content,
 * forever (a deletion at the source never deletes the copy), in S3 Standard for its first 30 days and then in
 * Glacier Instant Retrieval (lib/backups/vault-bucket.ts). Priced per month for a starting library and a monthly
 * growth, with the one-off costs of the first copy and of a full restore.
 */
import { PRICES } from './prices';

export interface PhotoAssumptions {
  readonly startGb: number;
  readonly growthGbPerMonth: number;
  readonly coldAfterDays: number;
  /** Average photo size, for the per-object request charges. */
  readonly averageMb: number;
}

export const DEFAULT_PHOTO_ASSUMPTIONS: PhotoAssumptions = {
  startGb: 50,
  growthGbPerMonth: 2,
  coldAfterDays: 30,
  averageMb: 3,
};

export interface PhotoMonth {
  readonly month: number;
  readonly totalGb: number;
  readonly standardGb: number;
  readonly coldGb: number;
  readonly usd: number;
}

const DAYS_PER_MONTH = 365 / 12;

/** The bill of month `month` (1 = the month of the first copy). */
export function photoMonth(month: number, a: PhotoAssumptions = DEFAULT_PHOTO_ASSUMPTIONS): PhotoMonth {
  const totalGb = a.startGb + a.growthGbPerMonth * month;
  // Photos younger than coldAfterDays are in Standard: all of them in the first month, then the recent growth.
  const recentGb = Math.min(totalGb, a.growthGbPerMonth * (a.coldAfterDays / DAYS_PER_MONTH));
  const standardGb = month <= 1 ? totalGb : recentGb;
  const coldGb = totalGb - standardGb;
  const objects = (gb: number) => (gb * 1024) / a.averageMb;
  const addedGb = month <= 1 ? totalGb : a.growthGbPerMonth;
  // What turns cold this month: the whole first copy in month 2, the month-old growth after that.
  const transitionedGb = month <= 1 ? 0 : month === 2 ? a.startGb + a.growthGbPerMonth : a.growthGbPerMonth;
  const requests =
    (objects(addedGb) / 1000) * PRICES.s3PutPer1000 +
    (objects(transitionedGb) / 1000) * PRICES.s3GlacierIrTransitionPer1000;
  const usd = standardGb * PRICES.s3StandardGbMonth + coldGb * PRICES.s3GlacierInstantRetrievalGbMonth + requests;
  return { month, totalGb, standardGb, coldGb, usd };
}

/** Reading every photo back from Glacier Instant Retrieval once (a full restore): retrieval plus GET requests. */
export function fullPhotoRestoreUsd(month: number, a: PhotoAssumptions = DEFAULT_PHOTO_ASSUMPTIONS): number {
  const { coldGb, totalGb } = photoMonth(month, a);
  const objects = (totalGb * 1024) / a.averageMb;
  return coldGb * PRICES.s3GlacierIrRetrievalGb + (objects / 1000) * PRICES.s3GlacierIrGetPer1000;
}

/** Drills a month (weekly). */
const DRILLS_PER_MONTH = 365 / 12 / 7;

/**
 * The weekly drill reads back the photos of the last 30 days (Standard: no retrieval fee) and one 13th of the cold
 * ones (storage-copy.ts DRILL_ROTATION); reading every cold photo every week would cost far more than keeping them.
 */
export function drillReadsUsd(month: number, a: PhotoAssumptions = DEFAULT_PHOTO_ASSUMPTIONS, weeks = 13): number {
  return (DRILLS_PER_MONTH * fullPhotoRestoreUsd(month, a)) / weeks;
}

export function photoCostLines(a: PhotoAssumptions = DEFAULT_PHOTO_ASSUMPTIONS): string[] {
  const lines = [
    `Photos off-site: ${a.startGb} GB growing ${a.growthGbPerMonth} GB/month, kept forever, Standard for ${a.coldAfterDays} days then Glacier Instant Retrieval (photos of ~${a.averageMb} MB):`,
  ];
  for (const month of [1, 2, 12, 24, 36]) {
    const m = photoMonth(month, a);
    lines.push(
      `  month ${String(month).padStart(2)}: ${m.totalGb.toFixed(0).padStart(3)} GB (${m.standardGb.toFixed(1)} Standard, ${m.coldGb.toFixed(1)} Glacier IR)  $${m.usd.toFixed(2).padStart(5)}/month stored, + $${drillReadsUsd(month, a).toFixed(2)}/month of drill reads (all of them weekly: $${drillReadsUsd(month, a, 1).toFixed(2)}); a full restore costs $${fullPhotoRestoreUsd(month, a).toFixed(2)} once`,
    );
  }
  lines.push(
    '  The nightly copy reads only new or changed photos from Supabase (its egress: about the monthly growth), and',
    '  all Standard would cost $' +
      (photoMonth(36, a).totalGb * PRICES.s3StandardGbMonth).toFixed(2) +
      '/month at month 36.',
  );
  return lines;
}
