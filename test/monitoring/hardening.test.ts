/**
 * The alerting hardening, on both environments' synthesized templates: WAF logs redact Referer, undelivered alerts
 * go to a KMS-encrypted dead-letter queue with an alarm on its depth, the pager is reached through a Lambda that
 * reads its key (no key in a subscription URL), every paging alarm sends its OK to the same topic, and service
 * grants on the topics and the key carry source conditions.
 */
import { SECRET_CREDENTIALS } from '../../lib/secrets/inventory';
import { stackArtifact, template } from '../support/assembly';

type Stage = 'Staging' | 'Production';
const stages: Array<[Stage, string, string]> = [
  ['Staging', 'staging', '111111111111'],
  ['Production', 'production', '222222222222'],
];
const list = (v: any) => (Array.isArray(v) ? v : [v]);
const resources = (stage: Stage, part: string, type: string) =>
  Object.entries<any>(template(stage, part).findResources(type));

describe.each(stages)('%s hardening', (stage, env, account) => {
  it('redacts Referer (and query strings, authorization, cookies) from WAF logs', () => {
    const [[, logging]] = resources(stage, 'Site', 'AWS::WAFv2::LoggingConfiguration');
    expect(logging.Properties.RedactedFields).toEqual(
      expect.arrayContaining([{ SingleHeader: { Name: 'referer' } }, { QueryString: {} }]),
    );
  });

  it('keeps undelivered alerts in a KMS-encrypted queue, for every subscription, with a critical alarm on its depth', () => {
    const [[queueId, queue]] = resources(stage, 'Monitoring', 'AWS::SQS::Queue');
    expect(queue.Properties.QueueName).toBe(`miko-${env}-undelivered-alerts`);
    // The platform key, from the Data stack.
    expect(JSON.stringify(queue.Properties.KmsMasterKeyId)).toMatch(
      new RegExp(`"StackName":"${stage}-Data".*|PlatformKey`),
    );
    expect(JSON.stringify(queue.Properties.KmsMasterKeyId)).toContain('PlatformKey');
    const subscriptions = resources(stage, 'Monitoring', 'AWS::SNS::Subscription');
    expect(subscriptions.length).toBeGreaterThan(0);
    for (const [, s] of subscriptions)
      expect(s.Properties.RedrivePolicy).toEqual({ deadLetterTargetArn: { 'Fn::GetAtt': [queueId, 'Arn'] } });
    const [[, depth]] = resources(stage, 'Monitoring', 'AWS::CloudWatch::Alarm').filter(
      ([, a]) => a.Properties.AlarmName === `miko-${env}-critical-undelivered-alerts`,
    );
    expect(depth.Properties).toMatchObject({
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Threshold: 1,
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
    });
    expect(depth.Properties.OKActions).toEqual(depth.Properties.AlarmActions);
    // SNS may write to the queue for our topics only.
    const [[, queuePolicy]] = resources(stage, 'Monitoring', 'AWS::SQS::QueuePolicy');
    for (const st of queuePolicy.Properties.PolicyDocument.Statement.filter((s: any) => s.Effect === 'Allow'))
      expect(st.Condition.ArnEquals['aws:SourceArn']).toBeDefined();
  });

  it('never puts a pager key in a subscription: no HTTPS subscription, no resolved secret', () => {
    const monitoring = JSON.stringify(template(stage, 'Monitoring').toJSON());
    expect(monitoring).not.toMatch(/resolve:secretsmanager/);
    for (const [, s] of resources(stage, 'Monitoring', 'AWS::SNS::Subscription'))
      expect(s.Properties.Protocol).not.toMatch(/^https?$/);
    if (env === 'production') {
      const lambdaSubscriptions = resources(stage, 'Monitoring', 'AWS::SNS::Subscription').filter(
        ([, s]) => s.Properties.Protocol === 'lambda',
      );
      expect(lambdaSubscriptions).toHaveLength(1);
      const pager = resources(stage, 'Monitoring', 'AWS::Lambda::Function').find(
        ([, f]) => f.Properties.Environment?.Variables?.PAGER_SETTINGS,
      );
      expect(JSON.parse(pager![1].Properties.Environment.Variables.PAGER_SETTINGS)).toMatchObject({
        secretName: `miko/${env}/pager-integration-key`,
        eventsUrl: 'https://events.pagerduty.com/v2/enqueue',
      });
      expect(pager![1].Properties.DeadLetterConfig).toBeDefined();
    }
  });

  it('sends OK to the same topic from every alarm that pages (the rotation-error alarms too)', () => {
    const critical = resources(stage, 'Monitoring', 'AWS::SNS::Topic').find(
      ([, t]) => t.Properties.TopicName === `miko-${env}-critical`,
    )![0];
    const paging = resources(stage, 'Monitoring', 'AWS::CloudWatch::Alarm').filter(([, a]) =>
      list(a.Properties.AlarmActions ?? []).some((x: any) => x.Ref === critical),
    );
    expect(paging.length).toBeGreaterThanOrEqual(10);
    expect(paging.filter(([, a]) => /-critical-rotation-errors-/.test(a.Properties.AlarmName))).toHaveLength(
      SECRET_CREDENTIALS.filter((c) => c.rotation !== 'manual').length,
    );
    for (const [, a] of paging) expect(a.Properties.OKActions).toEqual([{ Ref: critical }]);
  });

  it("lets CloudWatch and EventBridge publish to the topics only for this account's alarms and these rules", () => {
    for (const [, policy] of resources(stage, 'Monitoring', 'AWS::SNS::TopicPolicy')) {
      for (const st of policy.Properties.PolicyDocument.Statement.filter(
        (s: any) => s.Effect === 'Allow' && s.Principal?.Service,
      )) {
        if (st.Principal.Service === 'cloudwatch.amazonaws.com') {
          expect(st.Condition).toEqual({
            StringEquals: { 'aws:SourceAccount': account },
            ArnLike: { 'aws:SourceArn': `arn:aws:cloudwatch:us-east-1:${account}:alarm:*` },
          });
        } else {
          expect(st.Principal.Service).toBe('events.amazonaws.com');
          expect(st.Condition).toEqual({
            ArnEquals: {
              'aws:SourceArn': {
                'Fn::GetAtt': [expect.stringMatching(/^(RotationAlertsRotationFailed|KeyTamperAlertRule)/), 'Arn'],
              },
            },
          });
        }
      }
    }
  });

  it("lets services use the platform key only for this account's resources (aws:SourceAccount and aws:SourceArn)", () => {
    const [[, key]] = resources(stage, 'Data', 'AWS::KMS::Key');
    const services = key.Properties.KeyPolicy.Statement.filter((s: any) =>
      ['cloudwatch.amazonaws.com', 'events.amazonaws.com', 'sns.amazonaws.com'].includes(s.Principal?.Service),
    );
    expect(services.map((s: any) => s.Principal.Service).sort()).toEqual([
      'cloudwatch.amazonaws.com',
      'events.amazonaws.com',
      'sns.amazonaws.com',
    ]);
    for (const st of services) {
      expect(st.Condition.StringEquals['aws:SourceAccount']).toBe(account);
      expect(st.Condition.ArnLike['aws:SourceArn']).toMatch(
        new RegExp(`^arn:aws:(cloudwatch|events|sns):us-east-1:${account}:`),
      );
    }
    expect(stackArtifact(stage, 'Data').stackName).toBe(`${stage}-Data`);
  });
});
