/**
 * One alarm the way every alarm here is built: named `miko-<env>-<severity>-<what>`, its description says why the
 * threshold is what it is, actions go to the severity's topic, and critical alarms also send their OK so the pager
 * resolves the incident by itself.
 */
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Construct } from 'constructs';
import type { AlarmTopics, Severity } from './alarm-topics';

export interface AlarmSpec {
  /** Short id, e.g. "site-down": construct id and alarm name suffix. */
  readonly slug: string;
  readonly severity: Severity;
  /** What the alarm means and why this threshold; shown in the page/email. */
  readonly why: string;
  readonly metric: cloudwatch.IMetric;
  readonly threshold: number;
  readonly comparison: cloudwatch.ComparisonOperator;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  /** Chosen per alarm; `missingDataWhy` says why. */
  readonly treatMissingData: cloudwatch.TreatMissingData;
  readonly missingDataWhy: string;
}

export function createPlatformAlarm(
  scope: Construct,
  envName: string,
  topics: AlarmTopics,
  spec: AlarmSpec,
): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(scope, `Alarm-${spec.severity}-${spec.slug}`, {
    alarmName: `miko-${envName}-${spec.severity}-${spec.slug}`,
    alarmDescription: `[${spec.severity}] ${spec.why} Missing data: ${spec.missingDataWhy}`,
    metric: spec.metric,
    threshold: spec.threshold,
    comparisonOperator: spec.comparison,
    evaluationPeriods: spec.evaluationPeriods,
    datapointsToAlarm: spec.datapointsToAlarm,
    treatMissingData: spec.treatMissingData,
  });
  const action = new actions.SnsAction(topics.topic(spec.severity));
  alarm.addAlarmAction(action);
  if (spec.severity === 'critical') alarm.addOkAction(action);
  return alarm;
}
