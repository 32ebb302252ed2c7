/** RotationAlerts in a small stack of its own, with stand-in topics, as Monitoring will instantiate it. */
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { daysSinceNewValue } from '../../lambda/rotation-age/age';
import { SECRET_CREDENTIALS } from '../../lib/secrets/inventory';
import { PlatformSecrets } from '../../lib/secrets/platform-secrets';
import { RotationAlerts } from '../../lib/secrets/rotation-alerts';

const env = { account: '123456789012', region: 'us-east-1' };

function alertsTemplate() {
  const app = new App();
  const data = new Stack(app, 'Data', { env });
  const key = new kms.Key(data, 'Key', { enableKeyRotation: true });
  const secrets = new PlatformSecrets(data, 'Secrets', {
    envName: 'staging',
    key,
    rotation: { scheduleDays: 30, graceDays: 3 },
    supabaseProjectUrl: 'https://ref.supabase.co',
    googleCloudProject: 'miko-test',
    siteOrigin: 'https://app.example.com',
    auditBucket: s3.Bucket.fromBucketName(data, 'Audit', 'miko-staging-audit-123456789012'),
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const monitoring = new Stack(app, 'Monitoring', { env });
  const criticalTopic = new sns.Topic(monitoring, 'Critical');
  const warningTopic = new sns.Topic(monitoring, 'Warning');
  const topics = { topic: (severity: string) => (severity === 'critical' ? criticalTopic : warningTopic) };
  new RotationAlerts(monitoring, 'RotationAlerts', { envName: 'staging', secrets, key, topics });
  const t = Template.fromStack(monitoring);
  const topicRef = (id: string) => ({
    Ref: Object.keys(t.findResources('AWS::SNS::Topic')).find((logicalId) => logicalId.startsWith(id)),
  });
  return { t, critical: topicRef('Critical'), warning: topicRef('Warning') };
}

describe('RotationAlerts', () => {
  const { t, critical, warning } = alertsTemplate();
  const alarms = Object.values<any>(t.findResources('AWS::CloudWatch::Alarm'));

  it('sends Secrets Manager RotationFailed and RotationAbandoned events to the critical topic', () => {
    const rules = Object.values<any>(t.findResources('AWS::Events::Rule')).filter((r) => r.Properties.EventPattern);
    expect(rules).toHaveLength(1);
    expect(rules[0].Properties.EventPattern).toMatchObject({
      source: ['aws.secretsmanager'],
      detail: { eventName: ['RotationFailed', 'RotationAbandoned'] },
    });
    expect(rules[0].Properties.Targets.map((target: any) => target.Arn)).toEqual([critical]);
  });

  it('pages on the first error of any rotation function', () => {
    const errors = alarms.filter((a) => a.Properties.MetricName === 'Errors');
    expect(errors).toHaveLength(SECRET_CREDENTIALS.filter((c) => c.rotation !== 'manual').length);
    for (const alarm of errors) {
      expect(alarm.Properties).toMatchObject({
        Namespace: 'AWS/Lambda',
        Statistic: 'Sum',
        Period: 300,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [critical],
        OKActions: [critical],
      });
    }
    expect(errors.map((a) => a.Properties.AlarmName).sort()).toEqual(
      SECRET_CREDENTIALS.filter((c) => c.rotation !== 'manual')
        .map((c) => `miko-staging-critical-rotation-errors-${c.id}`)
        .sort(),
    );
  });

  it('warns once when any secret, manual ones included, has had no new value within schedule plus grace, or counts stop arriving', () => {
    const stale = alarms.filter((a) => a.Properties.MetricName === 'StaleSecrets');
    expect(stale).toHaveLength(1);
    expect(stale[0].Properties).toMatchObject({
      Namespace: 'MiKO/Secrets',
      Statistic: 'Maximum',
      Period: 21600,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'breaching',
      AlarmActions: [warning],
      AlarmName: 'miko-staging-warning-stale-secrets',
    });
    expect(stale[0].Properties.Dimensions).toBeUndefined();
    expect(alarms.filter((a) => a.Properties.MetricName === 'DaysSinceRotation')).toEqual([]);
    const ageFunction = Object.values<any>(t.findResources('AWS::Lambda::Function')).find(
      (f) => f.Properties.Environment?.Variables?.STALE_AFTER_DAYS,
    );
    expect(ageFunction.Properties.Environment.Variables.STALE_AFTER_DAYS).toBe('33');
    expect(ageFunction.Properties.Environment.Variables.SECRET_NAMES.split(',').sort()).toEqual(
      SECRET_CREDENTIALS.map((c) => `miko/staging/${c.id}`).sort(),
    );
  });

  it('warns on the first rotation that finished without its audit record', () => {
    const unrecorded = alarms.filter((a) => a.Properties.MetricName === 'UnrecordedRotations');
    expect(unrecorded).toHaveLength(1);
    expect(unrecorded[0].Properties).toMatchObject({
      Namespace: 'MiKO/Secrets',
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [warning],
      AlarmName: 'miko-staging-warning-unrecorded-rotation',
    });
    expect(unrecorded[0].Properties.AlarmDescription).toContain('Runbook: docs/runbooks/rotation-failed.md');
  });

  it('publishes the count hourly from a function that can read metadata only', () => {
    t.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 hour)' });
    const statements = Object.values<any>(t.findResources('AWS::IAM::ManagedPolicy')).flatMap(
      (p) => p.Properties.PolicyDocument.Statement,
    );
    const actions = statements.flatMap((s) => [s.Action].flat());
    expect(actions.filter((a) => a.startsWith('secretsmanager:'))).toEqual(['secretsmanager:DescribeSecret']);
    const put = statements.find((s) => s.Action === 'cloudwatch:PutMetricData');
    expect(put.Condition).toEqual({ StringEquals: { 'cloudwatch:namespace': 'MiKO/Secrets' } });
  });
});

describe('secret age', () => {
  const now = new Date('2026-11-22T00:00:00Z');
  it('counts from the last rotation, else the last change (manual secrets), else creation', () => {
    expect(
      daysSinceNewValue(
        { LastRotatedDate: new Date('2026-11-12T00:00:00Z'), LastChangedDate: new Date('2026-11-21T00:00:00Z') },
        now,
      ),
    ).toBe(10);
    expect(daysSinceNewValue({ LastChangedDate: new Date('2026-11-01T00:00:00Z') }, now)).toBe(21);
    expect(daysSinceNewValue({ CreatedDate: new Date('2026-11-21T12:00:00Z') }, now)).toBe(0.5);
    expect(() => daysSinceNewValue({}, now)).toThrow(/no rotation, change or creation date/);
  });
});
