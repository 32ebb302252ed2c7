/**
 * What the platform key's policy must allow so alarms and events can publish to the encrypted topics: SNS asks KMS
 * for a data key on the publisher's behalf. Added here (to the key in DataStack; the statement names nothing of the
 * Monitoring stack; the services act for this account's alarms and rules only, as SNS encrypts for its own topics, so no reference points backwards). The Secrets part adds the same grants in parallel: keep one.
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';

export function allowAlarmPublishersToUseKey(key: kms.Key): void {
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AlarmsAndEventsPublishToEncryptedTopics',
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com'), new iam.ServicePrincipal('events.amazonaws.com')],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    resources: ['*'], // in a key policy, "*" is this key
  }));
}
