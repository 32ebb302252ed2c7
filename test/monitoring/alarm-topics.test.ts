/** AlarmTopics on its own small stack: the optional subscriptions the committed config does not exercise. */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { AlarmTopics } from '../../lib/monitoring/alarm-topics';

function topicsTemplate(alarms: ConstructorParameters<typeof AlarmTopics>[2]['alarms']): Template {
  const stack = new Stack(new App(), 'Topics', { env: { account: '111111111111', region: 'us-east-1' } });
  new AlarmTopics(stack, 'Topics', { envName: 'staging', alarms, key: new kms.Key(stack, 'Key') });
  return Template.fromStack(stack);
}

describe('AlarmTopics', () => {
  it('sends both severities to Slack through AWS Chatbot when configured', () => {
    const t = topicsTemplate({ pageOnCall: false, criticalEmails: [], warningEmails: [], slack: { workspaceId: 'T0123ABCD45', channelId: 'C0123ABCD45' } });
    t.hasResourceProperties('AWS::Chatbot::SlackChannelConfiguration', { SlackWorkspaceId: 'T0123ABCD45', SlackChannelId: 'C0123ABCD45' });
    const [slack] = Object.values<any>(t.findResources('AWS::Chatbot::SlackChannelConfiguration'));
    expect(slack.Properties.SnsTopicArns).toHaveLength(2);
  });

  it("reads a JSON pager secret's field when configured, and pages only when pageOnCall is true", () => {
    const paging = topicsTemplate({ pageOnCall: true, pager: { secret: 'pager-integration-key', jsonField: 'url' }, criticalEmails: [], warningEmails: [] });
    paging.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'https', Endpoint: '{{resolve:secretsmanager:miko/staging/pager-integration-key:SecretString:url::}}' });
    const quiet = topicsTemplate({ pageOnCall: false, pager: { secret: 'pager-integration-key' }, criticalEmails: [], warningEmails: [] });
    quiet.resourceCountIs('AWS::SNS::Subscription', 0);
  });
});
