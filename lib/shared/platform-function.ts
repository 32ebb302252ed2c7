/**
 * A Node.js Lambda as every function here is built: bundled locally by esbuild, arm64, its own KMS-encrypted log
 * group with a retention, and a role that writes only to that group (not AWSLambdaBasicExecutionRole: logs:* on
 * every group). Serving functions add X-Ray and reserved concurrency; `credentialAccess` functions hold their
 * grants in one customer-managed policy.
 */
import { CfnResource, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { BUNDLED_HANDLER, bundledCode } from './bundled-code';

/** Logs hold request paths, dependency names and who changed a credential when: a year covers reviews and audits. */
const LOG_RETENTION = logs.RetentionDays.ONE_YEAR;

/**
 * A function that reads or changes credentials, invoked only by an AWS service: its grants are one customer-managed
 * policy reviews can point at, which it waits for. No tracing or reserved concurrency: no outsider can invoke it.
 */
export interface CredentialAccess {
  /** Everything the function may do besides writing its own logs. */
  readonly statements: iam.PolicyStatement[];
  /** Why the one statement with `Resource: "*"` (if any) cannot be narrower. */
  readonly wildcardResourceReason?: string;
  /** Why this function needs neither a dead-letter queue nor reserved concurrency. */
  readonly invocationReason: string;
}

interface FunctionBasics {
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
  readonly removalPolicy: RemovalPolicy;
  /** How long the function's log group keeps its lines. @default one year (LOG_RETENTION) */
  readonly logRetention?: logs.RetentionDays;
}

export type PlatformFunctionProps = FunctionBasics & (ServingFunction | CredentialFunction);

export interface CredentialFunction {
  readonly credentialAccess: CredentialAccess;
}

export interface ServingFunction {
  readonly credentialAccess?: undefined;
  /** Caps concurrent executions so a flood cannot starve the account's other functions. */
  readonly reservedConcurrentExecutions: number;
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
    if (props.credentialAccess) {
      [this.role, this.function] = this.credentialFunction(props, props.credentialAccess);
    } else {
      [this.role, this.function] = this.servingFunction(props);
    }
  }

  /** What every function of the platform has: the bundle, runtime, architecture, role, logs and settings. */
  private basics(props: FunctionBasics, role: iam.IRole, bundleAwsSdk?: boolean): lambda.FunctionProps {
    return {
      code: bundledCode(props.entry, { bundleAwsSdk }),
      handler: BUNDLED_HANDLER,
      description: props.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout,
      role,
      logGroup: this.logGroup,
      environment: props.environment,
    };
  }

  private servingFunction(props: FunctionBasics & ServingFunction): [iam.Role, lambda.Function] {
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: props.description,
    });
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn, `${this.logGroup.logGroupArn}:*`],
      }),
    );

    const fn = new lambda.Function(this, 'Function', {
      ...this.basics(props, role, props.bundleAwsSdk),
      loggingFormat: lambda.LoggingFormat.JSON,
      tracing: lambda.Tracing.ACTIVE,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      deadLetterQueue: props.deadLetterQueue,
    });

    // The role's grants are this function's alone (its log group, tracing, its key use), so they are inline:
    // a managed policy would only add a second resource to keep in step with one role.
    this.grantDeadLetterKey(role, props.deadLetterQueue);

    const rolePolicy = role.node.findChild('DefaultPolicy');
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
    Validations.of(fn).acknowledge(
      { id: 'HIPAA.Security::HIPAA.Security-LambdaInsideVPC', reason: props.outsideVpcReason },
      { id: 'NIST.800.53.R5::NIST.800.53.R5-LambdaInsideVPC', reason: props.outsideVpcReason },
    );
    if (!props.deadLetterQueue) {
      const reason = props.noDeadLetterQueueReason ?? 'no reason given';
      Validations.of(fn).acknowledge(
        { id: 'HIPAA.Security::HIPAA.Security-LambdaDLQ', reason },
        { id: 'NIST.800.53.R5::NIST.800.53.R5-LambdaDLQ', reason },
      );
    }
    return [role, fn];
  }

  private credentialFunction(props: FunctionBasics, access: CredentialAccess): [iam.Role, lambda.Function] {
    const permissions = new iam.ManagedPolicy(this, 'Permissions', {
      description: props.description,
      statements: [
        new iam.PolicyStatement({
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [this.logGroup.logGroupArn],
        }),
        ...access.statements,
      ],
    });
    if (access.wildcardResourceReason) {
      Validations.of(permissions).acknowledge({
        id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
        reason: access.wildcardResourceReason,
      });
    }
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: props.description,
      managedPolicies: [permissions],
    });

    const fn = new lambda.Function(this, 'Function', this.basics(props, role, true));
    // The function must not run before its permissions exist.
    (fn.node.defaultChild as lambda.CfnFunction).node.addDependency(permissions);

    for (const pack of ['HIPAA.Security', 'NIST.800.53.R5']) {
      Validations.of(fn).acknowledge(
        { id: `${pack}::${pack}-LambdaDLQ`, reason: access.invocationReason },
        {
          id: `${pack}::${pack}-LambdaConcurrency`,
          reason: `${access.invocationReason} Reserving concurrency would only take from the account pool (and fails on new accounts with a low limit).`,
        },
        {
          id: `${pack}::${pack}-LambdaInsideVPC`,
          reason:
            'The app has no VPC; the function calls AWS and provider HTTPS APIs, which a VPC would only reach through a NAT gateway.',
        },
      );
    }
    return [role, fn];
  }

  /**
   * Lambda writes a failed event to the dead-letter queue as this role, and SQS encrypts it with the queue's key on
   * the role's behalf: without both KMS actions the write fails and the event is lost.
   */
  private grantDeadLetterKey(role: iam.Role, queue: sqs.IQueue | undefined): void {
    if (!queue?.encryptionMasterKey) return;
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [queue.encryptionMasterKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `sqs.${Stack.of(this).region}.amazonaws.com` } },
      }),
    );
  }
}
