/**
 * Publishes, per secret, how many days since it last got a new value (MiKO/Secrets DaysSinceRotation), so an
 * alarm can warn when a rotation was missed or a manual secret was forgotten. Reads metadata only
 * (DescribeSecret): it cannot read any value.
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
  const ages = await Promise.all(names.map(async (name) => ({ name, days: daysSinceNewValue(await sm.send(new DescribeSecretCommand({ SecretId: name })), now) })));
  await cloudwatch.send(new PutMetricDataCommand({
    Namespace: METRIC_NAMESPACE,
    MetricData: ages.map(({ name, days }) => ({ MetricName: METRIC_NAME, Dimensions: [{ Name: 'SecretName', Value: name }], Value: days, Unit: 'None' })),
  }));
  for (const { name, days } of ages) log.info('secret age', { secretName: name, days: Math.round(days * 10) / 10 });
}
