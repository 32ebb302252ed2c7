/**
 * Stateless: the health API (`/health`, `/health/db`, `/health/apis`) served by a Lambda function URL that the
 * site's distribution fronts. Filled by the Health issue.
 */
import { Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import type { DataStack } from '../data/data-stack';

export interface HealthStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  readonly data: DataStack;
}

export class HealthStack extends Stack {
  constructor(scope: Construct, id: string, props: HealthStackProps) {
    super(scope, id, props);
  }
}
