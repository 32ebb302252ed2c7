/**
 * Stateless: the health API (`/health`, `/health/db`, `/health/apis`) served by a Lambda function URL that only
 * the site's distribution may call (AWS_IAM auth, signed by CloudFront's Origin Access Control). `/health` is public;
 * the deep paths answer only the prober's token. Their Supabase checks use a publishable key of their own, never
 * the secret (service-role) key.
 */
import { Duration, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { join } from 'node:path';
import type { EnvironmentConfig } from '../config';
import type { DataStack } from '../data/data-stack';
import { PROBE_TOKEN_CREDENTIAL, secretName } from '../secrets/inventory';
import { PlatformFunction } from '../shared/platform-function';
import type { CheckSpec } from '../../lambda/health/checks';
import { HealthSettings, SETTINGS_VARIABLE } from '../../lambda/health/settings';

export interface HealthStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  readonly data: DataStack;
}

/** A health answer must come back well inside CloudFront's origin timeout and the prober's budget. */
const HEALTH_TIMEOUT = Duration.seconds(10);

/** Enough for probes, Route53 checkers and curious users; the WAF's rate rule limits it further. */
const HEALTH_CONCURRENCY = 20;

export class HealthStack extends Stack {
  readonly healthFunction: lambda.Function;
  readonly healthUrl: lambda.FunctionUrl;

  constructor(scope: Construct, id: string, props: HealthStackProps) {
    super(scope, id, props);
    const { config } = props;
    const checks = this.checkSpecs(config);
    const probeTokenSecret = secretName(config.envName, PROBE_TOKEN_CREDENTIAL);
    const health = new PlatformFunction(this, 'HealthApi', {
      entry: join(__dirname, '..', '..', 'lambda', 'health', 'handler.ts'),
      description: `MiKO ${config.envName}: /health, /health/db, /health/apis`,
      timeout: HEALTH_TIMEOUT,
      key: props.data.key,
      reservedConcurrentExecutions: HEALTH_CONCURRENCY,
      removalPolicy: RemovalPolicy.DESTROY,
      // Secret *names* only; the values are read from Secrets Manager at run time.
      environment: {
        [SETTINGS_VARIABLE]: JSON.stringify({
          deadlineMs: config.health.deadlineMs,
          checks,
          probeToken: { secretName: probeTokenSecret },
        } satisfies HealthSettings),
      },
      outsideVpcReason:
        'The health API checks public SaaS endpoints (Supabase, n8n, Google); there is no private resource to reach.',
      noDeadLetterQueueReason:
        'Invoked synchronously through its function URL only; a failed answer is the signal, there is no event to keep.',
    });
    this.grantCheckSecrets(
      health,
      [...checks.flatMap((c) => (c.auth ? [c.auth.secretName] : [])), probeTokenSecret],
      props.data,
    );
    this.healthFunction = health.function;
    this.healthUrl = health.function.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });
  }

  /** The checks as the Lambda runs them: a credential id becomes its Secrets Manager name. */
  private checkSpecs(config: EnvironmentConfig): CheckSpec[] {
    return config.health.checks.map(({ auth, sendSiteReferer, ...check }) => ({
      ...check,
      ...(sendSiteReferer && { referer: `https://${config.domain.name}/` }),
      ...(auth && {
        auth: {
          secretName: secretName(config.envName, auth.secret),
          header: auth.header,
          format: auth.format,
          jsonField: auth.jsonField,
        },
      }),
    }));
  }

  /** Read access to exactly the secrets the checks use, and decryption with the key only through Secrets Manager. */
  private grantCheckSecrets(health: PlatformFunction, secretNames: readonly string[], data: DataStack): void {
    const names = [...new Set(secretNames)];
    if (names.length === 0) return;
    names.forEach((name, index) =>
      secretsmanager.Secret.fromSecretNameV2(this, `CheckSecret${index}`, name).grantRead(health.role),
    );
    health.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [data.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${this.region}.amazonaws.com` } },
      }),
    );
  }
}
