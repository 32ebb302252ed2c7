/**
 * The prober's metrics: high-resolution (StorageResolution 1) so 10-second alarms can read them.
 *
 *   Namespace  MiKO/Synthetics
 *   Success    1 when the target passed (after at most one retry), else 0   dims Environment, Target
 *   Failure    1 - Success (alarms read Maximum: any failed probe in the period)
 *   Latency    ms of the counted attempt                                      dims Environment, Target
 *   DependencyUp / DependencyLatency  per check of /health/db and /health/apis dims Environment, Check
 *   Heartbeat  1 per slot the prober ran                                       dims Environment
 */
import type { MetricDatum } from '@aws-sdk/client-cloudwatch';

export const SYNTHETICS_NAMESPACE = 'MiKO/Synthetics';

export const METRIC = {
  success: 'Success',
  failure: 'Failure',
  latency: 'Latency',
  dependencyUp: 'DependencyUp',
  dependencyLatency: 'DependencyLatency',
  heartbeat: 'Heartbeat',
} as const;

const HIGH_RESOLUTION = 1;

function datum(name: string, value: number, unit: 'Count' | 'Milliseconds', at: Date, dimensions: Record<string, string>): MetricDatum {
  return {
    MetricName: name,
    Value: value,
    Unit: unit,
    Timestamp: at,
    StorageResolution: HIGH_RESOLUTION,
    Dimensions: Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value })),
  };
}

export function targetData(environment: string, target: string, ok: boolean, latencyMs: number, at: Date): MetricDatum[] {
  const dims = { Environment: environment, Target: target };
  return [
    datum(METRIC.success, ok ? 1 : 0, 'Count', at, dims),
    datum(METRIC.failure, ok ? 0 : 1, 'Count', at, dims),
    datum(METRIC.latency, Math.round(latencyMs), 'Milliseconds', at, dims),
  ];
}

export function dependencyData(environment: string, check: string, up: boolean, latencyMs: number, at: Date): MetricDatum[] {
  const dims = { Environment: environment, Check: check };
  return [datum(METRIC.dependencyUp, up ? 1 : 0, 'Count', at, dims), datum(METRIC.dependencyLatency, Math.round(latencyMs), 'Milliseconds', at, dims)];
}

export function heartbeatDatum(environment: string, at: Date): MetricDatum {
  return datum(METRIC.heartbeat, 1, 'Count', at, { Environment: environment });
}
