/** The one alarm factory, on a small stack of its own. */
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import { pagerEventFor } from '../../lambda/pager/events';
import { AlarmSpec, createPlatformAlarm, MAX_ALARM_DESCRIPTION } from '../../lib/monitoring/platform-alarm';

function build(spec: Partial<AlarmSpec> = {}) {
  const stack = new Stack(new App(), 'Alarms');
  const critical = new sns.Topic(stack, 'Critical');
  const warning = new sns.Topic(stack, 'Warning');
  const topics = { topic: (severity: string) => (severity === 'critical' ? critical : warning) };
  createPlatformAlarm(stack, 'staging', topics, {
    slug: 'site-down',
    severity: 'critical',
    why: 'The prober found / failing.',
    runbook: 'site-down',
    metric: new cloudwatch.Metric({ namespace: 'N', metricName: 'M', period: Duration.seconds(10) }),
    threshold: 1,
    comparison: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    missingDataWhy: 'no probes, no failures.',
    ...spec,
  });
  return Template.fromStack(stack);
}

describe('createPlatformAlarm', () => {
  it('names the alarm by environment, severity and slug, and ends its description with the runbook', () => {
    const [alarm] = Object.values<any>(build().findResources('AWS::CloudWatch::Alarm'));
    expect(alarm.Properties.AlarmName).toBe('miko-staging-critical-site-down');
    expect(alarm.Properties.AlarmDescription).toBe(
      '[critical] The prober found / failing. Missing data: no probes, no failures. Runbook: docs/runbooks/site-down.md',
    );
    expect(alarm.Properties.OKActions).toEqual(alarm.Properties.AlarmActions);
  });

  it('gives the pager the runbook it names', () => {
    const [alarm] = Object.values<any>(build().findResources('AWS::CloudWatch::Alarm'));
    const message = JSON.stringify({
      AlarmName: alarm.Properties.AlarmName,
      AlarmDescription: alarm.Properties.AlarmDescription,
      NewStateValue: 'ALARM',
    });
    expect(pagerEventFor(message, 'miko-staging', 'https://example.com/')?.links).toEqual([
      { href: 'https://example.com/docs/runbooks/site-down.md', text: 'Runbook' },
    ]);
  });

  it('sends a warning to the warning topic without an OK action', () => {
    const [alarm] = Object.values<any>(build({ severity: 'warning' }).findResources('AWS::CloudWatch::Alarm'));
    expect(alarm.Properties.AlarmName).toBe('miko-staging-warning-site-down');
    expect(alarm.Properties.OKActions).toBeUndefined();
  });

  it('refuses a description CloudWatch would refuse, naming the alarm, and keeps one of exactly the limit', () => {
    expect(() => build({ why: 'x'.repeat(MAX_ALARM_DESCRIPTION) })).toThrow(
      /miko-staging-critical-site-down: its description is \d+ characters, CloudWatch accepts 1024. Fix:/,
    );
    const description = (why: string): string =>
      Object.values(build({ why }).findResources('AWS::CloudWatch::Alarm'))[0].Properties.AlarmDescription;
    const rest = description('').length;
    expect(description('x'.repeat(MAX_ALARM_DESCRIPTION - rest))).toHaveLength(MAX_ALARM_DESCRIPTION);
    expect(() => build({ why: 'x'.repeat(MAX_ALARM_DESCRIPTION - rest + 1) })).toThrow(/is 1025 characters/);
  });
});
