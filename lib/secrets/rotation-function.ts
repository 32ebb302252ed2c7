/**
 * One rotation function for one secret: bundled locally with esbuild, its own role that can touch only that
 * secret (plus read the credential that authorizes rotating it), invocable only by Secrets Manager from this
 * account, and an encrypted log group. Scheduled by a RotationSchedule that does not rotate on deploy.
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { join } from 'node:path';
import { PlatformFunction } from '../shared/platform-function';
import type { RotationKind } from './inventory';

/** Each step makes a few provider calls of at most 10 s each (DEFAULT_PROVIDER_TIMEOUT_MS); 60 s leaves room. */
const ROTATION_STEP_TIMEOUT = Duration.minutes(1);

export type RotatedKind = Exclude<RotationKind, 'manual'>;

export interface RotationFunctionProps {
  readonly kind: RotatedKind;
  readonly secret: secretsmanager.Secret;
  /** The secret's name, for descriptions. */
  readonly secretName: string;
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

    const { function: fn, role } = new PlatformFunction(this, 'Function', {
      entry: join(__dirname, '..', '..', 'lambda', 'rotation', 'handlers', `${props.kind}.ts`),
      description: `Rotates ${props.secretName} (${props.kind}) and nothing else`,
      key: props.key,
      timeout: ROTATION_STEP_TIMEOUT,
      environment: props.environment,
      removalPolicy: props.removalPolicy,
      credentialAccess: {
        statements: [
          new iam.PolicyStatement({
            actions: [
              'secretsmanager:DescribeSecret',
              'secretsmanager:GetSecretValue',
              'secretsmanager:PutSecretValue',
              'secretsmanager:UpdateSecretVersionStage',
            ],
            resources: [props.secret.secretArn],
          }),
          ...(props.authorizedBy
            ? [
                new iam.PolicyStatement({
                  actions: ['secretsmanager:GetSecretValue'],
                  resources: [props.authorizedBy.secretArn],
                }),
              ]
            : []),
          new iam.PolicyStatement({
            actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
            resources: [props.key.keyArn],
            conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${region}.amazonaws.com` } },
          }),
          ...(props.kind === 'generated'
            ? [new iam.PolicyStatement({ actions: ['secretsmanager:GetRandomPassword'], resources: ['*'] })]
            : []),
        ],
        wildcardResourceReason:
          props.kind === 'generated'
            ? 'Only secretsmanager:GetRandomPassword has "*": it acts on no resource (IAM accepts nothing else for it) and reveals nothing stored.'
            : undefined,
        invocationReason:
          'Invoked synchronously by Secrets Manager, one step at a time for the one secret it serves; Secrets Manager records and retries a failed step (a DLQ only applies to asynchronous invocations).',
      },
    });
    this.function = fn;

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
