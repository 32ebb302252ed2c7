/**
 * The prober's metrics in MiKO/Synthetics, high-resolution so 10-second alarms can read them:
 *   Failure    1 if the target failed after one retry, else 0 (alarms read Maximum)   dims Environment, Target
 *   Latency    ms of the counted attempt, LATENCY_TARGETS only                         dims Environment, Target
 *   Heartbeat  1 per slot probed                                                       dims Environment
 * Each metric is billed, so other latencies and dependency status go to the log as one JSON line per probe.
 */
import type { MetricDatum } from '@aws-sdk/client-cloudwatch';

export const SYNTHETICS_NAMESPACE = 'MiKO/Synthetics';

export const METRIC = {
  failure: 'Failure',
  latency: 'Latency',
  heartbeat: 'Heartbeat',
} as const;

/** Targets whose latency is a metric: the page load, which the latency alarms read. */
export const LATENCY_TARGETS: readonly string[] = ['site'];

/** How many custom metrics the prober publishes for `targets` targets (what `npm run cost` bills). */
export function publishedMetricCount(targets: number): number {
  return targets + LATENCY_TARGETS.length + 1;
}

const HIGH_RESOLUTION = 1;

function datum(
  name: string,
  value: number,
  unit: 'Count' | 'Milliseconds',
  at: Date,
  dimensions: Record<string, string>,
): MetricDatum {
  return {
    MetricName: name,
    Value: value,
    Unit: unit,
    Timestamp: at,
    StorageResolution: HIGH_RESOLUTION,
    Dimensions: Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value })),
  };
}

export function targetData(
  environment: string,
  target: string,
  ok: boolean,
  latencyMs: number,
  at: Date,
): MetricDatum[] {
  const dims = { Environment: environment, Target: target };
  const failure = datum(METRIC.failure, ok ? 0 : 1, 'Count', at, dims);
  return LATENCY_TARGETS.includes(target)
    ? [failure, datum(METRIC.latency, Math.round(latencyMs), 'Milliseconds', at, dims)]
    : [failure];
}

export function heartbeatDatum(environment: string, at: Date): MetricDatum {
  return datum(METRIC.heartbeat, 1, 'Count', at, { Environment: environment });
}
