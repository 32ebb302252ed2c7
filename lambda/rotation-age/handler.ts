/**
 * Publishes, per secret, how many days since it last got a new value (MiKO/Secrets DaysSinceRotation), so an
 * alarm can warn when a rotation was missed or a manual secret was forgotten. Reads metadata only
 * (DescribeSecret): it cannot read any value. A secret it cannot describe gets no data point, which its alarm
 * treats as breaching, and the invocation fails after publishing the others.
 */
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { jsonLogger } from '../shared/log';
import { daysSinceNewValue } from './age';

export const METRIC_NAMESPACE = 'MiKO/Secrets';
export const METRIC_NAME = 'DaysSinceRotation';

const sm = new SecretsManagerClient({});
const cloudwatch = new CloudWatchClient({});
const log = jsonLogger({ fn: 'rotation-age' });

export async function handler(): Promise<void> {
  const names = (process.env.SECRET_NAMES ?? '').split(',').filter(Boolean);
  const now = new Date();
  const described = await Promise.allSettled(names.map((name) => sm.send(new DescribeSecretCommand({ SecretId: name }))));
  const ages: Array<{ name: string; days: number }> = [];
  described.forEach((outcome, index) => {
    if (outcome.status === 'fulfilled') ages.push({ name: names[index], days: daysSinceNewValue(outcome.value, now) });
    else log.error('could not describe secret', { secretName: names[index], error: (outcome.reason as Error).name });
  });
  if (ages.length > 0) {
    await cloudwatch.send(new PutMetricDataCommand({
      Namespace: METRIC_NAMESPACE,
      MetricData: ages.map(({ name, days }) => ({ MetricName: METRIC_NAME, Dimensions: [{ Name: 'SecretName', Value: name }], Value: days, Unit: 'None' })),
    }));
  }
  for (const { name, days } of ages) log.info('secret age', { secretName: name, days: Math.round(days * 10) / 10 });
  const failed = names.length - ages.length;
  if (failed > 0) throw new Error(`${failed} secret(s) could not be described; their stale-rotation alarms will warn`);
}
