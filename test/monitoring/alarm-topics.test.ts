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
    const t = topicsTemplate({
      pageOnCall: false,
      criticalEmails: [],
      warningEmails: [],
      slack: { workspaceId: 'T0123ABCD45', channelId: 'C0123ABCD45' },
    });
    t.hasResourceProperties('AWS::Chatbot::SlackChannelConfiguration', {
      SlackWorkspaceId: 'T0123ABCD45',
      SlackChannelId: 'C0123ABCD45',
    });
    const [slack] = Object.values<any>(t.findResources('AWS::Chatbot::SlackChannelConfiguration'));
    expect(slack.Properties.SnsTopicArns).toHaveLength(2);
  });

  it("pages through the subscriber Lambda, reading a JSON pager secret's field, and only when pageOnCall is true", () => {
    const paging = topicsTemplate({
      pageOnCall: true,
      pager: {
        secret: 'pager-integration-key',
        jsonField: 'routingKey',
        eventsUrl: 'https://events.eu.pagerduty.com/v2/enqueue',
      },
      criticalEmails: [],
      warningEmails: [],
    });
    paging.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'lambda' });
    paging.resourceCountIs('AWS::SNS::Subscription', 1);
    const [fn] = Object.values<any>(paging.findResources('AWS::Lambda::Function'));
    expect(JSON.parse(fn.Properties.Environment.Variables.PAGER_SETTINGS)).toEqual({
      eventsUrl: 'https://events.eu.pagerduty.com/v2/enqueue',
      secretName: 'miko/staging/pager-integration-key',
      jsonField: 'routingKey',
      source: 'miko-staging',
    });
    expect(JSON.stringify(paging.toJSON())).not.toMatch(/resolve:secretsmanager|"Protocol":"https"/);
    const quiet = topicsTemplate({
      pageOnCall: false,
      pager: { secret: 'pager-integration-key' },
      criticalEmails: [],
      warningEmails: [],
    });
    quiet.resourceCountIs('AWS::SNS::Subscription', 0);
    quiet.resourceCountIs('AWS::Lambda::Function', 0);
  });
});
