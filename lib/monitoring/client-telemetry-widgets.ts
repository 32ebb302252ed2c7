/** The dashboard's client rows: errors and new kinds, errors per release and top fingerprints (Logs Insights), CSP, web vitals. */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { CLIENT_METRICS } from '../../lambda/telemetry/event-line';
import { TELEMETRY_WIDGET_QUERIES } from '../telemetry/queries';
import { VITALS_THRESHOLDS } from './client-alarms';
import { client } from './metrics';

export function clientTelemetryWidgets(envName: string, eventLogName: string): cloudwatch.IWidget[][] {
  const period = Duration.minutes(1);
  const logs = (title: string, queryString: string, width: number) =>
    new cloudwatch.LogQueryWidget({
      title,
      logGroupNames: [eventLogName],
      queryString,
      view: cloudwatch.LogQueryVisualizationType.TABLE,
      width,
      height: 6,
    });
  return [
    [
      new cloudwatch.GraphWidget({
        title: 'Browser errors, new kinds and page views',
        left: [
          client(envName, CLIENT_METRICS.clientErrors, 'Sum', period).with({ label: 'errors' }),
          client(envName, CLIENT_METRICS.newClientErrorKinds, 'Sum', period).with({ label: 'new kinds' }),
        ],
        right: [client(envName, CLIENT_METRICS.pageViews, 'Sum', period).with({ label: 'page views' })],
        width: 8,
      }),
      logs('Errors and new kinds per release', TELEMETRY_WIDGET_QUERIES.errorsPerRelease, 8),
      logs('Top fingerprints', TELEMETRY_WIDGET_QUERIES.topFingerprints, 8),
    ],
    [
      new cloudwatch.GraphWidget({
        title: 'CSP violations (enforced = blocked)',
        left: (['enforce', 'report'] as const).map((d) =>
          client(envName, CLIENT_METRICS.cspViolations, 'Sum', period, { Disposition: d }).with({ label: d }),
        ),
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Web vitals p75 (ms; CLS and TTFB per route group beside)',
        left: (['LCP', 'INP'] as const).map((name) =>
          client(envName, name, 'p75', Duration.minutes(5)).with({ label: name }),
        ),
        leftAnnotations: [
          { value: VITALS_THRESHOLDS.lcpMs, label: 'LCP good' },
          { value: VITALS_THRESHOLDS.inpMs, label: 'INP good' },
        ],
        width: 8,
      }),
      logs('Web vitals p75 per route group', TELEMETRY_WIDGET_QUERIES.vitalsPerRouteGroup, 8),
    ],
  ];
}
