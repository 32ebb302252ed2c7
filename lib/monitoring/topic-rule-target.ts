/**
 * An EventBridge rule target that publishes to an SNS topic, granting the publish to THIS rule only
 * (`aws:SourceArn`). CDK's `targets.SnsTopic` grants `events.amazonaws.com` publish with no condition, so any
 * rule, in any account, naming the topic could publish to it.
 */
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';

export class SnsTopicFromThisRule implements events.IRuleTarget {
  constructor(
    private readonly topic: sns.ITopic,
    /** What to publish instead of the whole event. */
    private readonly message?: events.RuleTargetInput,
  ) {}

  bind(rule: events.IRule): events.RuleTargetConfig {
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { ArnEquals: { 'aws:SourceArn': rule.ruleArn } },
      }),
    );
    return { arn: this.topic.topicArn, input: this.message };
  }
}
