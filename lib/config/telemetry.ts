/**
 * The client-telemetry collector's settings (`telemetry` in each environment's config): how long an error kind
 * counts as seen, how much a browser may send, and when errors page. Every error says what, why and "Fix:".
 */
import { z } from 'zod';

const wholeNumber = (what: string, min: number, max: number) => {
  const message = `must be a whole number from ${min} to ${max} (${what}). Fix: set a number in that range.`;
  return z.number({ error: message }).int({ error: message }).min(min, { error: message }).max(max, { error: message });
};

export const telemetryConfig = z.strictObject({
  /** An error kind seen within this many days is not "new" again (the novelty store's TTL). */
  noveltyWindowDays: wholeNumber('days an error kind stays known', 1, 90),
  /** The largest telemetry request accepted; a Reporting API batch of 50 reports fits in 64 KiB. */
  maxBodyBytes: wholeNumber('largest telemetry request in bytes', 1024, 262_144),
  /** Telemetry requests one IP may send in 5 minutes before the WAF blocks it (each costs a Lambda call). */
  rateLimitPer5Minutes: wholeNumber('WAF per-IP limit on /_telemetry/* per 5 minutes', 10, 2_000_000_000),
  /**
   * Telemetry requests from ALL addresses per 5 minutes before the WAF blocks telemetry: the cost ceiling when a
   * flood comes from more addresses than a per-IP limit can hold (npm run cost prints what it bounds).
   */
  totalRateLimitPer5Minutes: wholeNumber(
    'WAF limit on /_telemetry/* from all addresses per 5 minutes',
    10,
    2_000_000_000,
  ),
  /** Days the collector's event log is kept (it holds redacted error text and page paths, no personal data). */
  logRetentionDays: z.union([z.literal(30), z.literal(60), z.literal(90), z.literal(180), z.literal(365)], {
    error:
      'must be 30, 60, 90, 180 or 365 (days the telemetry log is kept). Fix: pick one; CloudWatch Logs accepts only its fixed retention values.',
  }),
  /** An error spike warns (never pages: anyone can post reports): more errors than this in 10 s, two periods of three. */
  errorSpikePer10Seconds: wholeNumber('client errors per 10 s that warn', 2, 1_000_000),
});

export type TelemetryConfig = z.infer<typeof telemetryConfig>;

/** What both environments start with: a new kind is new for two weeks; 20 errors in 10 s is not one bad tab. */
export const STANDARD_TELEMETRY: TelemetryConfig = {
  noveltyWindowDays: 14,
  maxBodyBytes: 65_536,
  rateLimitPer5Minutes: 300,
  // ~37 a second: hundreds of times a practice's real telemetry, and ≤ $5 a day behind the WAF under a flood (npm run cost).
  totalRateLimitPer5Minutes: 11_000,
  logRetentionDays: 90,
  errorSpikePer10Seconds: 20,
};
