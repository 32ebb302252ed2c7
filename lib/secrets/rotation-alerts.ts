/**
 * Makes a failed or forgotten rotation loud (in the Monitoring stack, with its topics). Critical: Secrets Manager's
 * RotationFailed/RotationAbandoned events and each rotation function's errors. Warning: any secret not renewed
 * within its schedule plus grace (an hourly function reading metadata, never a value), and a finished rotation
 * whose audit record could not be written.
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { SnsTopicFromThisRule } from '../monitoring/topic-rule-target';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { join } from 'node:path';
import { PlatformFunction } from '../shared/platform-function';
import type { ManagedSecret } from './platform-secrets';
import { SECRETS_NAMESPACE, staleSecrets, unrecordedRotations } from '../monitoring/metrics';
import { createPlatformAlarm, SeverityTopics } from '../monitoring/platform-alarm';

const { GREATER_THAN_OR_EQUAL_TO_THRESHOLD: AT_LEAST, GREATER_THAN_THRESHOLD: ABOVE } = cloudwatch.ComparisonOperator;
/** The count is published hourly; six hours without one means the age function is broken, which also warns. */
const SECRET_AGE_PERIOD = Duration.hours(6);
const SECRET_AGE_SCHEDULE = events.Schedule.rate(Duration.hours(1));
/** A rotation function's errors are summed over this window; one error is already a failed step. */
const ROTATION_ERRORS_PERIOD = Duration.minutes(5);

export interface RotationAlertsProps {
  readonly envName: string;
  /** DataStack's `secrets`. */
  readonly secrets: { readonly secrets: readonly ManagedSecret[]; readonly staleAfterDays: number };
  /** Encrypts the age function's logs (DataStack's `key`). */
  readonly key: kms.IKey;
  /** Monitoring's topics: rotation failures page, stale secrets warn. */
  readonly topics: SeverityTopics;
  /** The age function's log group is stateless; destroy it with the stack unless told otherwise. */
  readonly removalPolicy?: RemovalPolicy;
}

export class RotationAlerts extends Construct {
  readonly rotationFailedRule: events.Rule;
  readonly rotationErrorAlarms: cloudwatch.Alarm[];
  readonly staleSecretsAlarm: cloudwatch.Alarm;
  readonly unrecordedRotationAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: RotationAlertsProps) {
    super(scope, id);
    this.rotationFailedRule = new events.Rule(this, 'RotationFailed', {
      description: 'Secrets Manager could not rotate a secret (AWSCURRENT is unchanged; the pending version is stuck)',
      eventPattern: {
        source: ['aws.secretsmanager'],
        detail: { eventSource: ['secretsmanager.amazonaws.com'], eventName: ['RotationFailed', 'RotationAbandoned'] },
      },
      targets: [new SnsTopicFromThisRule(props.topics.topic('critical'))],
    });

    this.rotationErrorAlarms = props.secrets.secrets.flatMap(({ id: secretId, rotationFunction }) =>
      rotationFunction
        ? [
            createPlatformAlarm(this, props.envName, props.topics, {
              slug: `rotation-errors-${secretId}`,
              severity: 'critical',
              why: `The rotation function of ${secretId} failed a step. AWSCURRENT still works; see the function's logs, then "npm run rotate". Its OK resolves the page when the next rotation succeeds.`,
              runbook: 'rotation-failed',
              metric: rotationFunction.function.metricErrors({
                period: ROTATION_ERRORS_PERIOD,
                statistic: cloudwatch.Stats.SUM,
              }),
              threshold: 1,
              comparison: AT_LEAST,
              evaluationPeriods: 1,
              datapointsToAlarm: 1,
              treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
              missingDataWhy: 'Lambda reports no errors for a function that did not run.',
            }),
          ]
        : [],
    );

    const { region, account } = Stack.of(this);
    const names = props.secrets.secrets.map(({ name }) => name);
    const ageFunction = new PlatformFunction(this, 'SecretAge', {
      entry: join(__dirname, '..', '..', 'lambda', 'rotation-age', 'handler.ts'),
      description: 'Publishes how many secrets are overdue for a new value and logs which (reads metadata only)',
      key: props.key,
      timeout: Duration.seconds(30),
      environment: { SECRET_NAMES: names.join(','), STALE_AFTER_DAYS: String(props.secrets.staleAfterDays) },
      removalPolicy: props.removalPolicy ?? RemovalPolicy.DESTROY,
      credentialAccess: {
        statements: [
          new iam.PolicyStatement({
            actions: ['secretsmanager:DescribeSecret'],
            resources: props.secrets.secrets.map(
              ({ name }) => `arn:aws:secretsmanager:${region}:${account}:secret:${name}-??????`,
            ),
          }),
          new iam.PolicyStatement({
            actions: ['cloudwatch:PutMetricData'],
            resources: ['*'],
            conditions: { StringEquals: { 'cloudwatch:namespace': SECRETS_NAMESPACE } },
          }),
        ],
        wildcardResourceReason:
          'Only cloudwatch:PutMetricData has "*" (it has no resource type); it is limited to the MiKO/Secrets namespace by condition.',
        invocationReason:
          'Runs hourly from a schedule and only publishes a metric; a missed run is caught by the age alarms, which treat missing data as breaching.',
      },
    });
    new events.Rule(this, 'SecretAgeSchedule', {
      description: 'Hourly: count the secrets overdue for a new value, for the stale-secrets warning',
      schedule: SECRET_AGE_SCHEDULE,
      targets: [new targets.LambdaFunction(ageFunction.function, { retryAttempts: 2 })],
    });

    this.staleSecretsAlarm = createPlatformAlarm(this, props.envName, props.topics, {
      slug: 'stale-secrets',
      severity: 'warning',
      why:
        `A secret has had no new value for more than ${props.secrets.staleAfterDays} days, or the age function stopped reporting. ` +
        `Which one: the "secrets need a new value" line in ${ageFunction.function.functionName}'s log. A rotated secret: npm run rotate; ` +
        'a manual one (rotated by a person): see README "Credentials".',
      runbook: 'rotation-failed',
      metric: staleSecrets(SECRET_AGE_PERIOD),
      threshold: 0,
      comparison: ABOVE,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      missingDataWhy: 'the count arrives hourly; six hours without one means the age function is broken.',
    });

    this.unrecordedRotationAlarm = createPlatformAlarm(this, props.envName, props.topics, {
      slug: 'unrecorded-rotation',
      severity: 'warning',
      why: 'A rotation finished (the new secret works) but its audit record could not be written. Which one: the "rotation NOT RECORDED" line in the rotation functions\' logs.',
      runbook: 'rotation-failed',
      metric: unrecordedRotations(ROTATION_ERRORS_PERIOD),
      threshold: 1,
      comparison: AT_LEAST,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      missingDataWhy: 'the count is published only when an append fails.',
    });
  }
}
