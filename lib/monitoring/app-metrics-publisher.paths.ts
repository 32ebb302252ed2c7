/**
 * The app-metrics publisher policy (app-metrics-publisher.ts) is attached by hand to the identity of the app's back
 * end (n8n): it publishes the business metrics to MiKO/App and nothing else.
 */
import { PathCatalogue, resource } from '../shared/runtime-paths';

const backEnd = { person: resource('Monitoring', 'AppMetricsPublisherPolicy') } as const;

export const catalogue: PathCatalogue = {
  paths: [
    {
      id: 'app-back-end-publishes-metrics',
      what: "the app's back end publishes booking and reminder failures to MiKO/App",
      principal: backEnd,
      actions: ['cloudwatch:PutMetricData'],
      resource: '*',
      context: { 'cloudwatch:namespace': 'MiKO/App' },
      wildcardReason:
        'PutMetricData names no metric as a resource (only CloudWatch datasets, which these are not); the namespace condition limits it.',
    },
  ],
};
