/**
 * Losing the platform key makes every secret and backup unreadable, so scheduling its deletion, disabling it or
 * replacing its policy pages critical at once (the waiting period is the time to cancel). These CloudTrail
 * management events reach EventBridge only while a trail records them in this account and region.
 */
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { SnsTopicFromThisRule } from './topic-rule-target';

/** Each of these can take the key out of use; the rest of its administration cannot. */
export const KEY_TAMPER_EVENTS = ['ScheduleKeyDeletion', 'DisableKey', 'PutKeyPolicy'];

export interface KeyTamperAlertProps {
  readonly envName: string;
  readonly key: kms.IKey;
  readonly criticalTopic: sns.ITopic;
}

export class KeyTamperAlert extends Construct {
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: KeyTamperAlertProps) {
    super(scope, id);
    this.rule = new events.Rule(this, 'Rule', {
      description: `MiKO ${props.envName}: the platform key was scheduled for deletion, disabled or re-policied`,
      eventPattern: {
        source: ['aws.kms'],
        detailType: ['AWS API Call via CloudTrail'],
        detail: {
          eventSource: ['kms.amazonaws.com'],
          eventName: KEY_TAMPER_EVENTS,
          resources: { ARN: [props.key.keyArn] },
        },
      },
      targets: [
        new SnsTopicFromThisRule(
          props.criticalTopic,
          events.RuleTargetInput.fromText(
            `[critical] MiKO ${props.envName}: ${events.EventField.fromPath('$.detail.eventName')} on the platform key ` +
              `${props.key.keyArn} by ${events.EventField.fromPath('$.detail.userIdentity.arn')} at ` +
              `${events.EventField.time}. If nobody meant it: cancel the deletion (kms cancel-key-deletion) or enable ` +
              `the key, and restore its policy by redeploying the Data stack; see docs/runbooks/credential-exposure.md.`,
          ),
        ),
      ],
    });
  }
}
