/**
 * Publishes MiKO/Secrets StaleSecrets: how many secrets have gone unchanged past their schedule plus grace, so one
 * alarm catches a missed rotation or a forgotten manual secret (the log line names them). Reads metadata only
 * (DescribeSecret, never a value); a secret it cannot describe counts as stale and the invocation fails after
 * publishing.
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
