/**
 * Stateless: the health API (`/health`, `/health/db`, `/health/apis`) served by a Lambda function URL that only
 * the site's distribution may call (AWS_IAM auth, signed by CloudFront's Origin Access Control).
 */
import { Duration, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { join } from 'node:path';
import type { EnvironmentConfig } from '../config';
import type { DataStack } from '../data/data-stack';
import { PlatformFunction } from '../shared/platform-function';

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
    const health = new PlatformFunction(this, 'HealthApi', {
      entry: join(__dirname, '..', '..', 'lambda', 'health', 'handler.ts'),
      description: `MiKO ${props.config.envName}: /health, /health/db, /health/apis`,
      timeout: HEALTH_TIMEOUT,
      key: props.data.key,
      reservedConcurrentExecutions: HEALTH_CONCURRENCY,
      removalPolicy: RemovalPolicy.DESTROY,
      outsideVpcReason: 'The health API checks public SaaS endpoints (Supabase, n8n, Google); there is no private resource to reach.',
      noDeadLetterQueueReason: 'Invoked synchronously through its function URL only; a failed answer is the signal, there is no event to keep.',
    });
    this.healthFunction = health.function;
    this.healthUrl = health.function.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });
  }
}
