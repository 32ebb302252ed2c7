/**
 * The levers measured to bring an environment within budget, each priced from the price table and the prober's own
 * counts, with its effect on time to detect (scripts/lib/detection-levers.ts computes the ttd numbers). Printed by
 * `npm run cost` under the estimate, so the reasons for the monitoring's shape stay next to its price.
 */
import { LATENCY_TARGETS } from '../../lambda/prober/metrics';
import { TARGET_EVERY_SLOTS } from '../../lambda/prober/run';
import { SLOT_MS } from '../../lambda/prober/schedule';
import type { DetectionLever } from '../lib/detection-levers';
import { PRICES, SECONDS_PER_MONTH } from './prices';

export interface CostLever {
  readonly lever: string;
  readonly taken: boolean;
  /** Change of the monthly bill, in USD (negative saves). */
  readonly monthlyUsd: number;
  readonly timeToDetect: string;
}

/** CloudWatch Logs ingestion per GB (standard class). */
const LOGS_INGESTION_PER_GB = 0.5;
/** One slot's metrics as an EMF JSON line (measured on the prober's datum shapes: about 1.2 KB). */
const EMF_BYTES_PER_SLOT = 1200;

const ttd = (lever: DetectionLever | undefined) =>
  lever ? `${lever.alarm}: ${lever.now} s → ${lever.withLever} s` : '';

export function costLevers(
  dependencyChecks: number,
  secretCount: number,
  detection: readonly DetectionLever[],
): CostLever[] {
  const targets = Object.keys(TARGET_EVERY_SLOTS).length;
  const slotsPerMonth = SECONDS_PER_MONTH / (SLOT_MS / 1000);
  const metric = PRICES.customMetric;
  const route53 = detection.find((d) => d.alarm === 'route53-unhealthy');
  const emf = detection.find((d) => d.alarm === 'site-down');
  return [
    {
      lever: 'No Success metric: the dashboard shows 1 - Failure',
      taken: true,
      monthlyUsd: -targets * metric,
      timeToDetect: 'none (alarms read Failure)',
    },
    {
      lever: `Latency a metric only for ${LATENCY_TARGETS.join(', ')} (the alarmed page load); the rest logged`,
      taken: true,
      monthlyUsd: -(targets - LATENCY_TARGETS.length) * metric,
      timeToDetect: 'none (latency alarms read site)',
    },
    {
      lever: `Per-dependency status and latency (${dependencyChecks} checks × 2) as log lines, queried on the dashboard`,
      taken: true,
      monthlyUsd: -dependencyChecks * 2 * metric,
      timeToDetect: 'none (alarms read health-db / health-apis Failure)',
    },
    {
      lever: 'Route53 latency measurement off (prober latency covers it)',
      taken: true,
      monthlyUsd: -PRICES.healthCheckOptionNonAws,
      timeToDetect: 'none',
    },
    {
      lever: "Route53 plain HTTPS, no string match (the prober proves /health's body every 5 s)",
      taken: true,
      monthlyUsd: -PRICES.healthCheckOptionNonAws,
      timeToDetect: 'none',
    },
    {
      lever: 'One StaleSecrets count for all secrets instead of a DaysSinceRotation metric and alarm per secret',
      taken: true,
      monthlyUsd: -(secretCount - 1) * (metric + PRICES.alarmStandardPerMetric),
      timeToDetect: 'none (same hourly count, 6 h period)',
    },
    {
      lever: 'Route53 standard interval, 30 s × 1 failure per checker (instead of fast 10 s × 2)',
      taken: true,
      monthlyUsd: -PRICES.healthCheckOptionNonAws,
      timeToDetect: route53 ? `route53-unhealthy: ${route53.withLever} s → ${route53.now} s` : '',
    },
    {
      lever: 'Prober metrics as EMF log lines instead of PutMetricData (not taken)',
      taken: false,
      // The calls sit inside the account's 1M free API requests; the log bytes would be new.
      monthlyUsd: ((slotsPerMonth * EMF_BYTES_PER_SLOT) / 1e9) * LOGS_INGESTION_PER_GB,
      timeToDetect: `${ttd(emf)}: over the 20 s target`,
    },
    {
      lever: 'Staging profile without the Route53 check (not taken: staging should run what production runs)',
      taken: false,
      monthlyUsd: -PRICES.healthCheckNonAws - 2 * PRICES.healthCheckOptionNonAws,
      timeToDetect: 'staging loses its outside view',
    },
  ];
}
