/**
 * Where verify's browser check of a canary reports its verdict, and the alarm that reads it (canary-abort.ts).
 * Plain constants, so the command that publishes and the construct that alarms share them without loading CDK.
 */
export const CANARY_CHECK_NAMESPACE = 'MiKO/Release';
export const CANARY_CHECK_METRIC = 'CanaryCheckFailed';
/** The one dimension the alarm reads; a datum with any other set of dimensions is another metric to CloudWatch. */
export const CANARY_CHECK_DIMENSION = 'Environment';
/** High resolution: the alarm judges 10 s periods, so a verdict reaches the abort function within seconds. */
export const CANARY_CHECK_PERIOD_S = 10;
