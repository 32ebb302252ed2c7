/**
 * The pager, reached without its key in a readable subscription URL: a small Lambda subscribed to the critical
 * topic reads the integration key from Secrets Manager and calls the pager's Events API (lambda/pager), with a
 * dedup key per alarm so an alarm's OK resolves the incident its ALARM opened.
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { join } from 'node:path';
import type { EnvironmentName } from '../config';
import { SecretCredentialId, secretName } from '../secrets/inventory';
import { PlatformFunction } from '../shared/platform-function';
import { PagerSettings, SETTINGS_VARIABLE } from '../../lambda/pager/handler';

/** PagerDuty's Events API v2; any pager with that API shape works (config: alarms.pager.eventsUrl). */
export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';
/** An alarm storm is a few dozen messages; more in parallel would only be throttled by the pager. */
const PAGER_CONCURRENCY = 5;

export interface PagerSubscriberProps {
  readonly envName: EnvironmentName;
  readonly topic: sns.ITopic;
  readonly key: kms.IKey;
  readonly secret: SecretCredentialId;
  readonly jsonField?: string;
  readonly eventsUrl?: string;
  readonly deadLetterQueue: sqs.IQueue;
  /** Where the alarms' runbook paths resolve (the repository's web view). */
  readonly runbookBaseUrl?: string;
}

export class PagerSubscriber extends Construct {
  readonly function: PlatformFunction;

  constructor(scope: Construct, id: string, props: PagerSubscriberProps) {
    super(scope, id);
    const settings: PagerSettings = {
      eventsUrl: props.eventsUrl ?? PAGERDUTY_EVENTS_URL,
      secretName: secretName(props.envName, props.secret),
      jsonField: props.jsonField,
      source: `miko-${props.envName}`,
      runbookBaseUrl: props.runbookBaseUrl,
    };
    this.function = new PlatformFunction(this, 'Pager', {
      entry: join(__dirname, '..', '..', 'lambda', 'pager', 'handler.ts'),
      description: `MiKO ${props.envName}: tells the pager about critical alarms (key from Secrets Manager)`,
      timeout: Duration.seconds(15),
      memorySize: 128,
      key: props.key,
      reservedConcurrentExecutions: PAGER_CONCURRENCY,
      removalPolicy: RemovalPolicy.DESTROY,
      environment: { [SETTINGS_VARIABLE]: JSON.stringify(settings) },
      outsideVpcReason: "Calls the pager's public Events API only; there is no private resource to reach.",
      deadLetterQueue: props.deadLetterQueue,
    });
    secretsmanager.Secret.fromSecretNameV2(this, 'PagerKey', settings.secretName).grantRead(this.function.role);
    this.function.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [props.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(this).region}.amazonaws.com` } },
      }),
    );
    props.topic.addSubscription(
      new subscriptions.LambdaSubscription(this.function.function, { deadLetterQueue: props.deadLetterQueue }),
    );
  }
}
