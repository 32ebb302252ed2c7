/**
 * Stateless: the synthetic prober, the Route53 health check, alarms, paging topics and the dashboard.
 * Filled by the Monitoring issue.
 */
import { Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import type { DataStack } from '../data/data-stack';
import type { HealthStack } from '../health/health-stack';
import type { SiteStack } from '../site/site-stack';

export interface MonitoringStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  readonly data: DataStack;
  readonly health: HealthStack;
  readonly site: SiteStack;
}

export class MonitoringStack extends Stack {
  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id, props);
  }
}
