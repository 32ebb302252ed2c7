/**
 * The prober Lambda and its once-a-minute schedule. Each invocation probes for 75 s (lambda/prober/schedule.ts), so
 * two invocations overlap by 15 s and a late start leaves no gap. The schedule's async invocation is never retried:
 * a retried minute would only probe slots the next invocation already owns.
 */
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { join } from 'node:path';
import { SYNTHETICS_NAMESPACE } from '../../lambda/prober/metrics';
import { SETTINGS_VARIABLE } from '../../lambda/prober/settings';
import { PROBE_TIMEOUT_MS, ProberSettings } from '../../lambda/prober/run';
import { SLOT_MS, WINDOW_MS } from '../../lambda/prober/schedule';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { EnvironmentName } from '../config';
import { PROBE_TOKEN_CREDENTIAL, secretName } from '../secrets/inventory';
import { PlatformFunction } from '../shared/platform-function';

/** Window plus the last slot's two attempts and its publish, with margin. */
const PROBER_TIMEOUT = Duration.seconds(Math.ceil((WINDOW_MS + 2 * PROBE_TIMEOUT_MS) / 1000) + 10);

/** Two overlapping invocations plus one spare; more would only mean a runaway schedule. */
const PROBER_CONCURRENCY = 3;

export interface SyntheticProberProps {
  readonly envName: string;
  readonly siteUrl: string;
  readonly key: kms.IKey;
  /** Probe the canary too (environments that deploy canaries). */
  readonly probeCanary: boolean;
}

export class SyntheticProber extends Construct {
  readonly function: lambda.Function;
  /** The timings the prober runs with, as written into its settings (read back by time-to-detect). */
  readonly settings: Required<ProberSettings>;

  constructor(scope: Construct, id: string, props: SyntheticProberProps) {
    super(scope, id);
    const probeToken = secretName(props.envName as EnvironmentName, PROBE_TOKEN_CREDENTIAL);
    this.settings = {
      environment: props.envName,
      siteUrl: props.siteUrl,
      slotMs: SLOT_MS,
      windowMs: WINDOW_MS,
      timeoutMs: PROBE_TIMEOUT_MS,
      probeToken: { secretName: probeToken },
      canary: props.probeCanary,
    };
    const prober = new PlatformFunction(this, 'Prober', {
      entry: join(__dirname, '..', '..', 'lambda', 'prober', 'handler.ts'),
      description: `MiKO ${props.envName}: synthetic prober (site, release asset, /health) every ${SLOT_MS / 1000} s`,
      timeout: PROBER_TIMEOUT,
      // It mostly waits on the network: the smallest size halves the bill of a function that runs all the time.
      memorySize: 128,
      key: props.key,
      reservedConcurrentExecutions: PROBER_CONCURRENCY,
      removalPolicy: RemovalPolicy.DESTROY,
      environment: { [SETTINGS_VARIABLE]: JSON.stringify(this.settings) },
      outsideVpcReason: 'The prober calls the public site through CloudFront, exactly as a patient does.',
      noDeadLetterQueueReason:
        'A failed minute has nothing to replay (its slots are past); the heartbeat alarm notices a prober that keeps failing.',
    });
    this.function = prober.function;
    // The token of /health/db and /health/apis: read access to that one secret, decryption only through Secrets Manager.
    secretsmanager.Secret.fromSecretNameV2(this, 'ProbeToken', probeToken).grantRead(prober.role);
    prober.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [props.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(this).region}.amazonaws.com` } },
      }),
    );
    prober.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': SYNTHETICS_NAMESPACE } },
      }),
    );
    Validations.of(prober.role.node.findChild('DefaultPolicy')).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason:
        'cloudwatch:PutMetricData supports no resource-level permission; the condition limits it to the MiKO/Synthetics namespace. X-Ray likewise.',
    });

    new events.Rule(this, 'EveryMinute', {
      description: `MiKO ${props.envName}: starts the synthetic prober every minute`,
      schedule: events.Schedule.rate(Duration.minutes(1)),
      targets: [new targets.LambdaFunction(this.function, { retryAttempts: 0, maxEventAge: Duration.seconds(60) })],
    });
  }
}
