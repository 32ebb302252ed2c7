/**
 * The canary's alarms and the abort function they invoke directly (a Lambda alarm action): it sets the canary's
 * weight to 0, records it and warns on-call. Each alarm is a trusted signal: the prober's canary probes
 * (lambda/prober/probes.ts) or verify's Chromium check (MiKO/Release CanaryCheckFailed), which only the CI
 * deploy role may publish, so no patient's browser can abort a release.
 */
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { join } from 'node:path';
import { METRIC } from '../../lambda/prober/metrics';
import { grantAuditAppend } from '../data/audit-grants';
import { PlatformFunction } from '../shared/platform-function';
import { PROBER_ALARM_PERIOD } from './alarm-catalogue';
import { synthetic } from './metrics';
import type { AlarmTopics } from './alarm-topics';
import { AlarmSpec, createPlatformAlarm } from './platform-alarm';
import {
  CANARY_CHECK_DIMENSION,
  CANARY_CHECK_METRIC,
  CANARY_CHECK_NAMESPACE,
  CANARY_CHECK_PERIOD_S,
} from './canary-check-metric';

/** Slugs of the alarms that abort a canary (`miko-<env>-warning-<slug>`). */
export const CANARY_ALARM_SLUGS = ['canary-site-down', 'canary-check-failed'] as const;

const PROBER_GAP = 'no probe, no verdict: a prober gap is the heartbeat alarm’s job, and must not stop a canary.';

function canaryAlarmSpecs(envName: string): AlarmSpec[] {
  const oneFailure = {
    severity: 'warning' as const,
    threshold: 1,
    comparison: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  };
  return [
    {
      ...oneFailure,
      slug: 'canary-site-down',
      why: 'The canary’s / or the hashed asset it loads failed a probe and its retry (not 200, no build marker, a missing chunk): the abort function sets its weight to 0.',
      metric: synthetic(envName, METRIC.failure, { Target: 'canary' }, 'Maximum', PROBER_ALARM_PERIOD),
      missingDataWhy: PROBER_GAP,
      runbook: 'canary-aborted',
    },
    {
      ...oneFailure,
      slug: 'canary-check-failed',
      why: 'Verify loaded the canary in our own Chromium (npm run verify -- --canary) and it threw or did not load: the abort function sets its weight to 0.',
      metric: new cloudwatch.Metric({
        namespace: CANARY_CHECK_NAMESPACE,
        metricName: CANARY_CHECK_METRIC,
        dimensionsMap: { [CANARY_CHECK_DIMENSION]: envName },
        statistic: 'Maximum',
        // High resolution ($0.30, not $0.10): verify checks while the canary serves, and a minute would double the abort.
        period: Duration.seconds(CANARY_CHECK_PERIOD_S),
      }),
      missingDataWhy: 'verify publishes only when it checks a canary; no check is no failure.',
      runbook: 'canary-aborted',
    },
  ];
}

export interface CanaryAbortProps {
  readonly envName: string;
  readonly topics: AlarmTopics;
  readonly key: kms.IKey;
  /** The release store (the Site stack's KeyValueStore). */
  readonly releaseStoreArn: string;
  readonly auditBucket: s3.IBucket;
}

export class CanaryAbort extends Construct {
  readonly alarms: cloudwatch.Alarm[];
  readonly function: PlatformFunction;

  constructor(scope: Construct, id: string, props: CanaryAbortProps) {
    super(scope, id);
    const warningTopic = props.topics.topic('warning');
    this.function = new PlatformFunction(this, 'Function', {
      entry: join(__dirname, '..', '..', 'lambda', 'canary-abort', 'handler.ts'),
      description: `MiKO ${props.envName}: sets the canary's weight to 0 when a canary alarm fires, and tells on-call`,
      timeout: Duration.seconds(30),
      key: props.key,
      // Alarms of one canary may fire together; each abort is idempotent, and two at once are plenty.
      reservedConcurrentExecutions: 2,
      removalPolicy: RemovalPolicy.DESTROY,
      bundleAwsSdk: true,
      environment: {
        MIKO_ENVIRONMENT: props.envName,
        RELEASE_STORE_ARN: props.releaseStoreArn,
        AUDIT_BUCKET: props.auditBucket.bucketName,
        NOTICE_TOPIC_ARN: warningTopic.topicArn,
      },
      outsideVpcReason:
        'Calls only the CloudFront KeyValueStore, S3 and SNS APIs; there is no private resource to reach.',
      noDeadLetterQueueReason:
        'CloudWatch invokes it once per change to ALARM and Lambda retries a failure twice; the alarm’s own warning notice still reaches on-call, and npm run release -- --abort is the manual path. A stale event replayed later would only abort a newer canary.',
    });
    const role = this.function.role;
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: [
          'cloudfront-keyvaluestore:DescribeKeyValueStore',
          'cloudfront-keyvaluestore:GetKey',
          'cloudfront-keyvaluestore:UpdateKeys',
        ],
        resources: [props.releaseStoreArn],
      }),
    );
    role.addToPolicy(new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [warningTopic.topicArn] }));
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: [props.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `sns.${Stack.of(this).region}.amazonaws.com` } },
      }),
    );
    Validations.of(role).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      reason: 'SNS asks for GenerateDataKey with varying suffixes; limited to the platform key and to use through SNS.',
    });
    grantAuditAppend(role, props.auditBucket, props.key, props.envName);

    const abort = new actions.LambdaAction(this.function.function);
    this.alarms = canaryAlarmSpecs(props.envName).map((spec) => {
      const alarm = createPlatformAlarm(this, props.envName, props.topics, spec);
      alarm.addAlarmAction(abort);
      return alarm;
    });
  }
}
