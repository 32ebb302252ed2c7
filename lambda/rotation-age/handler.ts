/**
 * Publishes how many secrets have gone without a new value for longer than their schedule plus grace
 * (MiKO/Secrets StaleSecrets), so one alarm warns when a rotation was missed or a manual secret was forgotten.
 * One metric for all secrets rather than one per secret: ten per-secret metrics and alarms cost $3.60 a month per
 * environment and say nothing the log line below does not; the alarm's text sends the reader to that line.
 * Reads metadata only (DescribeSecret): it cannot read any value. A secret it cannot describe counts as stale, and
 * the invocation fails after publishing.
 */
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { jsonLogger } from '../shared/log';
import { daysSinceNewValue, secretsNeedingAttention } from './age';

import { METRIC_NAME, METRIC_NAMESPACE } from './metric';

const sm = new SecretsManagerClient({});
const cloudwatch = new CloudWatchClient({});
const log = jsonLogger({ fn: 'rotation-age' });

export async function handler(): Promise<void> {
  const names = (process.env.SECRET_NAMES ?? '').split(',').filter(Boolean);
  const staleAfterDays = Number(process.env.STALE_AFTER_DAYS);
  if (!Number.isFinite(staleAfterDays) || staleAfterDays <= 0)
    throw new Error('STALE_AFTER_DAYS must be a positive number of days (set by RotationAlerts)');
  const now = new Date();
  const described = await Promise.allSettled(
    names.map((name) => sm.send(new DescribeSecretCommand({ SecretId: name }))),
  );
  const ages: Array<{ name: string; days: number }> = [];
  const undescribable: string[] = [];
  described.forEach((outcome, index) => {
    if (outcome.status === 'fulfilled') {
      ages.push({ name: names[index], days: daysSinceNewValue(outcome.value, now) });
    } else {
      undescribable.push(names[index]);
      log.error('could not describe secret', { secretName: names[index], error: (outcome.reason as Error).name });
    }
  });
  const stale = secretsNeedingAttention(ages, undescribable, staleAfterDays);
  await cloudwatch.send(
    new PutMetricDataCommand({
      Namespace: METRIC_NAMESPACE,
      MetricData: [{ MetricName: METRIC_NAME, Value: stale.length, Unit: 'Count' }],
    }),
  );
  for (const { name, days } of ages) log.info('secret age', { secretName: name, days: Math.round(days * 10) / 10 });
  if (stale.length > 0) log.error('secrets need a new value', { staleSecrets: stale.join(','), staleAfterDays });
  if (undescribable.length > 0)
    throw new Error(`${undescribable.length} secret(s) could not be described; the stale-secrets alarm will warn`);
}
