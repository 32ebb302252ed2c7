/** What the secret-age function publishes; lib/monitoring/metrics.ts alarms on exactly this. */
export const METRIC_NAMESPACE = 'MiKO/Secrets';
export const METRIC_NAME = 'StaleSecrets';
