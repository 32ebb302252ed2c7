/**
 * A Node.js Lambda the way every function of this platform is built: bundled locally by esbuild (no Docker here),
 * arm64, its own KMS-encrypted log group with a retention, X-Ray tracing, and a role that may write only to that
 * log group (no AWSLambdaBasicExecutionRole managed policy, which grants logs:* on every group).
 */
import { CfnResource, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { BUNDLED_HANDLER, bundledCode } from './bundled-code';

/** Logs can hold request paths and dependency names; a year covers incident reviews without hoarding. */
const LOG_RETENTION = logs.RetentionDays.ONE_YEAR;

export interface PlatformFunctionProps {
  /** Path of the handler's entry file. */
  readonly entry: string;
  readonly description: string;
  readonly timeout: Duration;
  readonly memorySize?: number;
  readonly environment?: Record<string, string>;
  /**
   * Encrypts the log group. Environment variables stay under Lambda's own key: they hold settings and secret
   * *names*, never values, and the platform key's policy admits no Lambda use.
   */
  readonly key: kms.IKey;
  /** Caps concurrent executions so a flood cannot starve the account's other functions. */
  readonly reservedConcurrentExecutions: number;
  readonly removalPolicy: RemovalPolicy;
  /** Why this function is not in a VPC (every platform function calls public endpoints only). */
  readonly outsideVpcReason: string;
  /** Why this function needs no dead-letter queue (e.g. it is only invoked synchronously); ignored with `deadLetterQueue`. */
  readonly noDeadLetterQueueReason?: string;
  /** Where asynchronous invocations that still fail after Lambda's retries are kept. */
  readonly deadLetterQueue?: sqs.IQueue;
  /**
   * Bundle the AWS SDK instead of using the runtime's copy: for clients whose signing the runtime's SDK cannot do
   * (the CloudFront KeyValueStore API needs a SigV4a signer). @default false
   */
  readonly bundleAwsSdk?: boolean;
  /** How long the function's log group keeps its lines. @default one year (LOG_RETENTION) */
  readonly logRetention?: logs.RetentionDays;
}

export class PlatformFunction extends Construct {
  readonly function: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: PlatformFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? LOG_RETENTION,
      encryptionKey: props.key,
      removalPolicy: props.removalPolicy,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: props.description,
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn, `${this.logGroup.logGroupArn}:*`],
      }),
    );

    this.function = new lambda.Function(this, 'Function', {
      code: bundledCode(props.entry, { bundleAwsSdk: props.bundleAwsSdk }),
      handler: BUNDLED_HANDLER,
      description: props.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      tracing: lambda.Tracing.ACTIVE,
      environment: props.environment,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      deadLetterQueue: props.deadLetterQueue,
    });

    // The role's grants are this function's alone (its log group, tracing, its key use), so they are inline:
    // a managed policy would only add a second resource to keep in step with one role.
    this.grantDeadLetterKey(props.deadLetterQueue);

    const rolePolicy = this.role.node.findChild('DefaultPolicy');
    Validations.of(rolePolicy).acknowledge(
      {
        id: 'HIPAA.Security::HIPAA.Security-IAMNoInlinePolicy',
        reason: 'Grants used by this one function only; no other principal shares them.',
      },
      {
        id: 'NIST.800.53.R5::NIST.800.53.R5-IAMNoInlinePolicy',
        reason: 'Grants used by this one function only; no other principal shares them.',
      },
      {
        id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
        reason: 'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions.',
      },
      {
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.logGroup.node.defaultChild as CfnResource)}.Arn>:*]`,
        reason:
          "Log streams get generated names inside this function's own log group; the wildcard never leaves that group.",
      },
    );
    Validations.of(this.function).acknowledge(
      { id: 'HIPAA.Security::HIPAA.Security-LambdaInsideVPC', reason: props.outsideVpcReason },
      { id: 'NIST.800.53.R5::NIST.800.53.R5-LambdaInsideVPC', reason: props.outsideVpcReason },
    );
    if (!props.deadLetterQueue) {
      const reason = props.noDeadLetterQueueReason ?? 'no reason given';
      Validations.of(this.function).acknowledge(
        { id: 'HIPAA.Security::HIPAA.Security-LambdaDLQ', reason },
        { id: 'NIST.800.53.R5::NIST.800.53.R5-LambdaDLQ', reason },
      );
    }
  }

  /**
   * Lambda writes a failed event to the dead-letter queue as this role, and SQS encrypts it with the queue's key on
   * the role's behalf: without both KMS actions the write fails and the event is lost.
   */
  private grantDeadLetterKey(queue: sqs.IQueue | undefined): void {
    if (!queue?.encryptionMasterKey) return;
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [queue.encryptionMasterKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `sqs.${Stack.of(this).region}.amazonaws.com` } },
      }),
    );
  }
}
