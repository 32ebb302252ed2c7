/**
 * One rotation function for one secret: bundled locally with esbuild, its own role that can touch only that
 * secret (plus read the credential that authorizes rotating it), invocable only by Secrets Manager from this
 * account, and an encrypted log group. Scheduled by a RotationSchedule that does not rotate on deploy.
 */
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { join } from 'node:path';
import type { RotationKind } from './inventory';

/** Each step makes a few provider calls of at most 10 s each (DEFAULT_PROVIDER_TIMEOUT_MS); 60 s leaves room. */
const ROTATION_STEP_TIMEOUT = Duration.minutes(1);
/** Rotation logs are the audit trail of who changed a credential when: kept a year. */
const ROTATION_LOG_RETENTION = logs.RetentionDays.ONE_YEAR;

export type RotatedKind = Exclude<RotationKind, 'manual'>;

export interface RotationFunctionProps {
  readonly kind: RotatedKind;
  readonly secret: secretsmanager.Secret;
  readonly key: kms.IKey;
  /** The secret holding what authorizes rotating `secret` at its provider; read-only to this function. */
  readonly authorizedBy?: secretsmanager.ISecret;
  readonly scheduleDays: number;
  readonly environment?: Record<string, string>;
  readonly removalPolicy: RemovalPolicy;
}

export class RotationFunction extends Construct {
  readonly function: lambda.Function;

  constructor(scope: Construct, id: string, props: RotationFunctionProps) {
    super(scope, id);
    const { account, region } = Stack.of(this);

    const logGroup = new logs.LogGroup(this, 'Logs', { encryptionKey: props.key, retention: ROTATION_LOG_RETENTION, removalPolicy: props.removalPolicy });
    // A customer-managed policy rather than an inline one, so the permissions are a reviewable resource of their own.
    const permissions = new iam.ManagedPolicy(this, 'Permissions', {
      description: `Rotate ${props.secret.secretName} and nothing else`,
      statements: [
        new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }),
        new iam.PolicyStatement({
          actions: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecretVersionStage'],
          resources: [props.secret.secretArn],
        }),
        ...(props.authorizedBy ? [new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [props.authorizedBy.secretArn] })] : []),
        new iam.PolicyStatement({
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [props.key.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${region}.amazonaws.com` } },
        }),
        ...(props.kind === 'generated' ? [new iam.PolicyStatement({ actions: ['secretsmanager:GetRandomPassword'], resources: ['*'] })] : []),
      ],
    });
    if (props.kind === 'generated') {
      Validations.of(permissions).acknowledge({
        id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
        reason: 'Only secretsmanager:GetRandomPassword has "*": it acts on no resource (IAM accepts nothing else for it) and reveals nothing stored.',
      });
    }
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Rotates ${props.secret.secretName} and nothing else`,
      managedPolicies: [permissions],
    });

    this.function = new NodejsFunction(this, 'Function', {
      entry: join(__dirname, '..', '..', 'lambda', 'rotation', 'handlers', `${props.kind}.ts`),
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: ROTATION_STEP_TIMEOUT,
      role,
      logGroup,
      description: `Rotates ${props.secret.secretName} (${props.kind})`,
      environment: props.environment,
      // Bundle the pinned SDK rather than whatever the runtime ships, so tests and production run the same client.
      bundling: { minify: true, sourceMap: false, externalModules: [] },
    });
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions::AwsSolutions-L1',
      reason: 'Pinned to nodejs22.x, the project\'s Lambda runtime, so what the tests run (Node 20/22) matches what Lambda runs; moving to 24.x is a project-wide change.',
    });
    // Secrets Manager calls rotation functions synchronously, one step at a time, for this one secret.
    for (const pack of ['HIPAA.Security', 'NIST.800.53.R5']) {
      Validations.of(this.function).acknowledge(
        { id: `${pack}::${pack}-LambdaDLQ`, reason: 'Invoked synchronously by Secrets Manager, which records and retries a failed step; a DLQ only applies to asynchronous invocations.' },
        { id: `${pack}::${pack}-LambdaConcurrency`, reason: 'Secrets Manager runs one step at a time for the one secret this function serves; reserving concurrency would only take from the account pool (and fails on new accounts with a low limit).' },
        { id: `${pack}::${pack}-LambdaInsideVPC`, reason: 'The app has no VPC; the function calls Secrets Manager and the provider\'s public HTTPS API, which a VPC would only reach through a NAT gateway.' },
      );
    }

    const invoke = new lambda.CfnPermission(this, 'InvokedBySecretsManager', {
      action: 'lambda:InvokeFunction',
      functionName: this.function.functionArn,
      principal: 'secretsmanager.amazonaws.com',
      sourceAccount: account,
    });
    const schedule = new secretsmanager.CfnRotationSchedule(this, 'Schedule', {
      secretId: props.secret.secretArn,
      rotationLambdaArn: this.function.functionArn,
      rotationRules: { scheduleExpression: `rate(${props.scheduleDays} days)` },
      // A deploy must never rotate: rotation happens on schedule or on `npm run rotate`.
      rotateImmediatelyOnUpdate: false,
    });
    // Secrets Manager must be allowed to invoke, and the function to act, before a rotation can start.
    schedule.node.addDependency(invoke, role);
  }
}
