/**
 * Stateless: the CloudFront distribution in front of the release bucket, its headers, routing, WAF, certificate
 * and DNS. Filled by the Site issue.
 */
import { Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import type { DataStack } from '../data/data-stack';
import type { HealthStack } from '../health/health-stack';

export interface SiteStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  readonly data: DataStack;
  readonly health: HealthStack;
}

export class SiteStack extends Stack {
  constructor(scope: Construct, id: string, props: SiteStackProps) {
    super(scope, id, props);
  }
}
