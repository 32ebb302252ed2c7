/**
 * What the cost levers do to time to detect, computed by the same model as `npm run ttd` (tools/analysis/
 * time-to-detect.ts) on a changed copy of the synthesized Monitoring template: the numbers `npm run cost` and
 * `npm run ttd` print next to each lever.
 */
import type { Template } from '../../tools/analysis/template';
import { timeToDetect } from '../../tools/analysis/time-to-detect';

/**
 * EMF log lines reach metrics only after the log is delivered and its metrics extracted, which AWS bounds nowhere;
 * visible about 5 s after the probe instead of PutMetricData's 2 s. An assumption, labelled as such wherever it is printed.
 */
export const ASSUMED_EMF_PUBLICATION_S = 5;

function seconds(template: Template, slug: string, options = {}): number {
  const row = timeToDetect(template, options).find((r) => r.alarm.includes(`-critical-${slug}`));
  if (!row) throw new Error(`no critical ${slug} alarm in the Monitoring template`);
  return row.seconds;
}

function withRoute53(template: Template, interval: number, threshold: number): Template {
  const copy = structuredClone(template);
  for (const resource of Object.values(copy.Resources ?? {})) {
    if (resource.Type === 'AWS::Route53::HealthCheck')
      Object.assign(resource.Properties?.HealthCheckConfig as object, {
        RequestInterval: interval,
        FailureThreshold: threshold,
      });
  }
  return copy;
}

export interface DetectionLever {
  readonly lever: string;
  readonly alarm: string;
  readonly now: number;
  readonly withLever: number;
}

export function detectionLevers(monitoringTemplate: Template): DetectionLever[] {
  const siteDown = seconds(monitoringTemplate, 'site-down');
  return [
    {
      lever: 'Route53 fast interval (10 s, 2 failures; +$2/month)',
      alarm: 'route53-unhealthy',
      now: seconds(monitoringTemplate, 'route53-unhealthy'),
      withLever: seconds(withRoute53(monitoringTemplate, 10, 2), 'route53-unhealthy'),
    },
    {
      lever: `prober metrics as EMF log lines (metric visible ${ASSUMED_EMF_PUBLICATION_S} s after the probe, assumed)`,
      alarm: 'site-down',
      now: siteDown,
      withLever: seconds(monitoringTemplate, 'site-down', { ownMetricPublicationS: ASSUMED_EMF_PUBLICATION_S }),
    },
  ];
}
