/**
 * One JSON line per accepted event, which is also its CloudWatch embedded-metric-format (EMF) record: CloudWatch
 * Logs extracts the metrics from the line itself, so publishing costs no API call on the hot path and cannot hang
 * it, and the stored event and the counted datapoint can never disagree. `StorageResolution: 1` makes them
 * high-resolution, so alarms can use 10 s periods.
 */
import type { CollectedEvent, Vital } from './intake';

export const CLIENT_NAMESPACE = 'MiKO/Client';

export const CLIENT_METRICS = {
  cspViolations: 'CspViolations',
  clientErrors: 'ClientErrors',
  newClientErrorKinds: 'NewClientErrorKinds',
  pageViews: 'PageViews',
  browserReports: 'BrowserReports',
} as const;

/**
 * Vitals published as metrics: the two that alarm. CLS and TTFB stay fields of the line (the dashboard's Logs
 * Insights widget takes their p75 per route group): a metric costs $0.30 a month whether anyone looks or not.
 */
const METRIC_VITALS: Partial<Record<Vital, string>> = { LCP: 'Milliseconds', INP: 'Milliseconds' };

/** What the handler learned about an error beyond its payload. */
export interface ErrorFacts {
  readonly fingerprint: string;
  /** `unknown` when the store did not answer in time: the error still counts, it just cannot alarm as new. */
  readonly novelty: 'new' | 'known' | 'unknown';
  /** The release the site served (the routing function's header): novelty is per live release. */
  readonly liveRelease?: string;
}

/** One dimension set and its metrics; the sets of one event always share the same metrics. */
interface MetricDirective {
  readonly dimensions: string[];
  readonly metrics: Array<[name: string, unit: string, value: number]>;
}

function metricsOf(event: CollectedEvent, facts?: ErrorFacts): MetricDirective[] {
  switch (event.kind) {
    case 'csp-violation':
      // Per directive for the dashboard, and rolled up per disposition for the alarm (an alarm reads one dimension set).
      return [
        {
          dimensions: ['Environment', 'Directive', 'Disposition'],
          metrics: [[CLIENT_METRICS.cspViolations, 'Count', 1]],
        },
        { dimensions: ['Environment', 'Disposition'], metrics: [[CLIENT_METRICS.cspViolations, 'Count', 1]] },
      ];
    case 'browser-report':
      return [{ dimensions: ['Environment'], metrics: [[CLIENT_METRICS.browserReports, 'Count', 1]] }];
    case 'client-error':
      return [
        {
          dimensions: ['Environment'],
          metrics: [
            [CLIENT_METRICS.clientErrors, 'Count', 1],
            ...(facts?.novelty === 'new'
              ? [[CLIENT_METRICS.newClientErrorKinds, 'Count', 1] as [string, string, number]]
              : []),
          ],
        },
      ];
    case 'web-vitals':
      return [
        {
          dimensions: ['Environment'],
          metrics: [
            ...(event.pageView ? [[CLIENT_METRICS.pageViews, 'Count', 1] as [string, string, number]] : []),
            ...Object.entries(event.metrics)
              .filter(([name]) => METRIC_VITALS[name as Vital])
              .map(([name, value]) => [name, METRIC_VITALS[name as Vital]!, value] as [string, string, number]),
          ],
        },
      ];
  }
}

/** The stored line: the redacted event, its facts, and the EMF block with each metric's value at top level. */
export function eventLine(
  event: CollectedEvent,
  envName: string,
  receivedMs: number,
  facts?: ErrorFacts,
  /** Accepted as the over-budget sample during a flood (lambda/telemetry/event-budget.ts). */
  sampled = false,
): string {
  const directives = metricsOf(event, facts).filter((d) => d.metrics.length > 0);
  const values: Record<string, number> = {};
  for (const d of directives) for (const [name, , value] of d.metrics) values[name] = value;
  const dimensionValues: Record<string, string> = { Environment: envName };
  if (event.kind === 'csp-violation')
    Object.assign(dimensionValues, { Directive: event.directive, Disposition: event.disposition });
  const { kind, ...fields } = event;
  return JSON.stringify({
    event: kind,
    ...fields,
    ...facts,
    ...(sampled && { sampled: true }),
    ...dimensionValues,
    ...values,
    _aws: {
      Timestamp: receivedMs,
      CloudWatchMetrics: [
        {
          Namespace: CLIENT_NAMESPACE,
          Dimensions: directives.map((d) => d.dimensions),
          Metrics: directives[0]
            ? directives[0].metrics.map(([Name, Unit]) => ({ Name, Unit, StorageResolution: 1 }))
            : [],
        },
      ],
    },
  });
}
