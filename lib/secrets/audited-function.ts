/**
 * A small Node.js Lambda the way this part builds them: bundled locally with esbuild (SDK included, so tests and
 * Lambda run the same client), arm64, its own role whose only permissions are one customer-managed policy, and a
 * log group encrypted with the platform key. The cdk-nag findings that are right for every such function are
 * acknowledged here, on the function, with their reasons.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { BUNDLED_HANDLER, bundledCode } from '../shared/bundled-code';

/** These logs are the audit trail of who changed (or checked) a credential when: kept a year. */
const LOG_RETENTION = logs.RetentionDays.ONE_YEAR;

export interface AuditedFunctionProps {
  readonly entry: string;
  readonly description: string;
  readonly key: kms.IKey;
  readonly timeout: Duration;
  readonly environment?: Record<string, string>;
  /** Everything the function may do besides writing its own logs. */
  readonly statements: iam.PolicyStatement[];
  readonly removalPolicy: RemovalPolicy;
  /** Why the one statement with `Resource: "*"` (if any) cannot be narrower. */
  readonly wildcardResourceReason?: string;
  /** Why this function needs neither a dead-letter queue nor reserved concurrency. */
  readonly invocationReason: string;
}

export class AuditedFunction extends Construct {
  readonly function: lambda.Function;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: AuditedFunctionProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'Logs', {
      encryptionKey: props.key,
      retention: LOG_RETENTION,
      removalPolicy: props.removalPolicy,
    });
    // A customer-managed policy rather than an inline one, so the permissions are a reviewable resource of their own.
    const permissions = new iam.ManagedPolicy(this, 'Permissions', {
      description: props.description,
      statements: [
        new iam.PolicyStatement({
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [logGroup.logGroupArn],
        }),
        ...props.statements,
      ],
    });
    if (props.wildcardResourceReason) {
      Validations.of(permissions).acknowledge({
        id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
        reason: props.wildcardResourceReason,
      });
    }
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: props.description,
      managedPolicies: [permissions],
    });

    this.function = new lambda.Function(this, 'Function', {
      code: bundledCode(props.entry, { bundleAwsSdk: true }),
      handler: BUNDLED_HANDLER,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: props.timeout,
      role: this.role,
      logGroup,
      description: props.description,
      environment: props.environment,
    });
    // The function must not run before its permissions exist.
    (this.function.node.defaultChild as lambda.CfnFunction).node.addDependency(permissions);

    for (const pack of ['HIPAA.Security', 'NIST.800.53.R5']) {
      Validations.of(this.function).acknowledge(
        { id: `${pack}::${pack}-LambdaDLQ`, reason: props.invocationReason },
        {
          id: `${pack}::${pack}-LambdaConcurrency`,
          reason: `${props.invocationReason} Reserving concurrency would only take from the account pool (and fails on new accounts with a low limit).`,
        },
        {
          id: `${pack}::${pack}-LambdaInsideVPC`,
          reason:
            'The app has no VPC; the function calls AWS and provider HTTPS APIs, which a VPC would only reach through a NAT gateway.',
        },
      );
    }
  }
}
