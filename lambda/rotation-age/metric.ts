/** What the secret functions publish in MiKO/Secrets; lib/monitoring/metrics.ts alarms on exactly these. */
export const METRIC_NAMESPACE = 'MiKO/Secrets';
/** The secret-age function's count of overdue secrets. */
export const METRIC_NAME = 'StaleSecrets';
/** One per finished rotation whose audit record could not be written (lambda/rotation/rotation-record.ts). */
export const UNRECORDED_ROTATIONS_METRIC = 'UnrecordedRotations';
