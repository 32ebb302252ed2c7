/**
 * The Lambda@Edge (origin request) that hashes telemetry bodies for OAC (see lambda/telemetry-edge/payload-hash.ts
 * for why). Lambda@Edge allows no environment, layer, VPC, DLQ or arm64, and writes its logs in whichever region
 * ran it, to `/aws/lambda/us-east-1.<name>`; it logs nothing of its own, only Lambda's START/END lines.
 */
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { join } from 'node:path';
import { BUNDLED_HANDLER, bundledCode } from '../shared/bundled-code';
import { assertEdgeFunctionLimits, LAMBDA_EDGE_NODE_RUNTIMES } from '../shared/service-limits';

/** The newest runtime AWS lists for Lambda@Edge (lib/shared/service-limits.ts cites the page). */
const EDGE_RUNTIME = new lambda.Runtime(LAMBDA_EDGE_NODE_RUNTIMES[0], lambda.RuntimeFamily.NODEJS, {
  supportsInlineCode: true,
});
const TIMEOUT_SECONDS = 5;
const MEMORY_MB = 128;

export interface PayloadHasherProps {
  readonly envName: string;
  readonly key: kms.IKey;
  /** The largest telemetry body: origin-request events must expose it whole for the hash to be right. */
  readonly maxBodyBytes: number;
}

export class PayloadHasher extends Construct {
  readonly version: lambda.IVersion;

  constructor(scope: Construct, id: string, props: PayloadHasherProps) {
    super(scope, id);
    const functionName = `miko-${props.envName}-telemetry-payload-hash`;
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.CompositePrincipal(
        new iam.ServicePrincipal('lambda.amazonaws.com'),
        new iam.ServicePrincipal('edgelambda.amazonaws.com'),
      ),
      description: `MiKO ${props.envName}: telemetry payload hash at the edge`,
    });
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [`arn:aws:logs:*:${Stack.of(this).account}:log-group:/aws/lambda/us-east-1.${functionName}:*`],
      }),
    );
    // The us-east-1 edges' group, encrypted like every other; other regions' edges create their own (START/END only).
    const logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/lambda/us-east-1.${functionName}`,
      retention: logs.RetentionDays.ONE_MONTH,
      encryptionKey: props.key,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const code = bundledCode(join(__dirname, '..', '..', 'lambda', 'telemetry-edge', 'payload-hash.ts'));
    assertEdgeFunctionLimits({
      name: functionName,
      event: 'origin',
      runtime: EDGE_RUNTIME.name,
      timeoutSeconds: TIMEOUT_SECONDS,
      memoryMb: MEMORY_MB,
      bundleDir: code.path,
      bodyBytes: props.maxBodyBytes,
    });
    const fn = new lambda.Function(this, 'Function', {
      logGroup,
      functionName,
      code,
      handler: BUNDLED_HANDLER,
      runtime: EDGE_RUNTIME,
      // Lambda@Edge runs x86_64 only; 128 MB hashes 64 KiB in well under a millisecond.
      architecture: lambda.Architecture.X86_64,
      memorySize: MEMORY_MB,
      timeout: Duration.seconds(TIMEOUT_SECONDS),
      role,
      description: `MiKO ${props.envName}: x-amz-content-sha256 for /_telemetry/* POSTs (OAC signs them for the function URL)`,
    });
    this.version = fn.currentVersion;

    const edgeOnly =
      'Lambda@Edge does not support this setting (no VPC, no dead-letter queue, no reserved concurrency at the edge); it runs per request inside CloudFront, behind the WAF.';
    Validations.of(fn).acknowledge(
      ...[
        'HIPAA.Security::HIPAA.Security-LambdaInsideVPC',
        'NIST.800.53.R5::NIST.800.53.R5-LambdaInsideVPC',
        'HIPAA.Security::HIPAA.Security-LambdaDLQ',
        'NIST.800.53.R5::NIST.800.53.R5-LambdaDLQ',
        'HIPAA.Security::HIPAA.Security-LambdaConcurrency',
        'NIST.800.53.R5::NIST.800.53.R5-LambdaConcurrency',
        'AwsSolutions::AwsSolutions-L1',
      ].map((ruleId) => ({ id: ruleId, reason: edgeOnly })),
    );
    Validations.of(role.node.findChild('DefaultPolicy')).acknowledge(
      { id: 'HIPAA.Security::HIPAA.Security-IAMNoInlinePolicy', reason: 'Grants used by this one function only.' },
      { id: 'NIST.800.53.R5::NIST.800.53.R5-IAMNoInlinePolicy', reason: 'Grants used by this one function only.' },
      {
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:aws:logs:*:${Stack.of(this).account}:log-group:/aws/lambda/us-east-1.${functionName}:*]`,
        reason:
          'Lambda@Edge writes its logs in the region of the edge that ran it; the group name is fixed, only the region and stream vary.',
      },
    );
  }
}
