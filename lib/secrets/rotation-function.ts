/**
 * One rotation function for one secret: bundled locally with esbuild, its own role that can touch only that
 * secret (plus read the credential that authorizes rotating it) and append the finished rotation to the audit
 * trail (or count that it could not), invocable only by Secrets Manager from this account, and an encrypted log
 * group. Scheduled by a RotationSchedule that does not rotate on deploy.
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { join } from 'node:path';
import { METRIC_NAMESPACE as SECRETS_NAMESPACE } from '../../lambda/rotation-age/metric';
import { acknowledgeAuditRecordWildcard, auditAppendStatements } from '../data/audit-grants';
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
  /** Where a finished rotation is recorded (lib/data/audit-trail.ts), in the same stack. */
  readonly auditTrail: { readonly bucket: s3.IBucket; readonly envName: string };
  readonly removalPolicy: RemovalPolicy;
}

export class RotationFunction extends Construct {
  readonly function: lambda.Function;

  constructor(scope: Construct, id: string, props: RotationFunctionProps) {
    super(scope, id);
    const { account, region } = Stack.of(this);

    const { bucket: auditBucket, envName } = props.auditTrail;
    const platformFunction = new PlatformFunction(this, 'Function', {
      entry: join(__dirname, '..', '..', 'lambda', 'rotation', 'handlers', `${props.kind}.ts`),
      description: `Rotates ${props.secretName} (${props.kind}) and nothing else`,
      key: props.key,
      timeout: ROTATION_STEP_TIMEOUT,
      environment: { ...props.environment, MIKO_ENVIRONMENT: envName, AUDIT_BUCKET: auditBucket.bucketName },
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
          ...auditAppendStatements(auditBucket, props.key, envName, region),
          // Counts a rotation whose audit record could not be written (lambda/rotation/rotation-record.ts).
          new iam.PolicyStatement({
            actions: ['cloudwatch:PutMetricData'],
            resources: ['*'],
            conditions: { StringEquals: { 'cloudwatch:namespace': SECRETS_NAMESPACE } },
          }),
        ],
        wildcardResourceReason: [
          'cloudwatch:PutMetricData has "*" (it names no resource), limited to the MiKO/Secrets namespace by condition.',
          ...(props.kind === 'generated'
            ? [
                'secretsmanager:GetRandomPassword has "*": it acts on no resource (IAM accepts nothing else for it) and reveals nothing stored.',
              ]
            : []),
        ].join(' '),
        invocationReason:
          'Invoked synchronously by Secrets Manager, one step at a time for the one secret it serves; Secrets Manager records and retries a failed step (a DLQ only applies to asynchronous invocations).',
      },
    });
    const { function: fn, role } = platformFunction;
    this.function = fn;
    acknowledgeAuditRecordWildcard(platformFunction.node.findChild('Permissions'), auditBucket, envName);

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
