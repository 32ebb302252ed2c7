/**
 * Every alarm of the platform is made here: named `miko-<env>-<severity>-<slug>`, its description says why the
 * threshold is what it is and which runbook to open, actions go to the severity's topic, and critical alarms also
 * send their OK so the pager resolves the incident by itself. docs/alarms.md lists them all (`npm run alarms`).
 */
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export type Severity = 'critical' | 'warning';

/** Where an alarm's actions go: one topic per severity (AlarmTopics). */
export interface SeverityTopics {
  topic(severity: Severity): sns.ITopic;
}

/** CloudWatch refuses a longer AlarmDescription. */
export const MAX_ALARM_DESCRIPTION = 1024;

/** The repository folder of runbooks; an alarm names one file in it. */
export const RUNBOOK_FOLDER = 'docs/runbooks';
export const runbookPath = (runbook: string) => `${RUNBOOK_FOLDER}/${runbook}.md`;
/** How the pager and the docs find the runbook in a description. */
export const RUNBOOK_IN_DESCRIPTION = /Runbook: (docs\/runbooks\/[a-z0-9-]+\.md)/;

export interface AlarmSpec {
  /** Short id, e.g. "site-down": construct id and alarm name suffix. */
  readonly slug: string;
  readonly severity: Severity;
  /** What the alarm means and why this threshold; shown in the page/email. */
  readonly why: string;
  /** The runbook's file name in docs/runbooks, without `.md` (e.g. "site-down"). */
  readonly runbook: string;
  readonly metric: cloudwatch.IMetric;
  readonly threshold: number;
  readonly comparison: cloudwatch.ComparisonOperator;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  /** Chosen per alarm; `missingDataWhy` says why. */
  readonly treatMissingData: cloudwatch.TreatMissingData;
  readonly missingDataWhy: string;
  /** The construct id of an alarm deployed before this factory: a new id would replace the alarm under its name. */
  readonly constructId?: string;
}

export const platformAlarmName = (envName: string, spec: Pick<AlarmSpec, 'severity' | 'slug'>) =>
  `miko-${envName}-${spec.severity}-${spec.slug}`;

export function createPlatformAlarm(
  scope: Construct,
  envName: string,
  topics: SeverityTopics,
  spec: AlarmSpec,
): cloudwatch.Alarm {
  const alarmName = platformAlarmName(envName, spec);
  const alarmDescription = `[${spec.severity}] ${spec.why} Missing data: ${spec.missingDataWhy} Runbook: ${runbookPath(spec.runbook)}`;
  if (alarmDescription.length > MAX_ALARM_DESCRIPTION) {
    throw new Error(
      `${alarmName}: its description is ${alarmDescription.length} characters, CloudWatch accepts ${MAX_ALARM_DESCRIPTION}. Fix: shorten its why or missingDataWhy.`,
    );
  }
  const alarm = new cloudwatch.Alarm(scope, spec.constructId ?? `Alarm-${spec.severity}-${spec.slug}`, {
    alarmName,
    alarmDescription,
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
