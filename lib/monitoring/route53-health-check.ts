/**
 * Route53's outside view of `/health`: checkers in several regions, HTTPS with a string match (a 200 from an error
 * page does not count), every 10 s, latency measured for the dashboard. Its metric exists only in us-east-1 at
 * 1-minute resolution, which is why it backs up the prober rather than replacing it.
 */
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';

/** Route53's fast interval (10 s instead of 30 s): the difference is a minute of detection for about $1/month. */
const REQUEST_INTERVAL_SECONDS = 10;
/** Two consecutive failures mark an endpoint unhealthy: 20 s, and one dropped packet does not. */
const FAILURE_THRESHOLD = 2;
/** What a healthy `/health` answer contains (lambda/health/handler.ts). */
export const HEALTHY_MARKER = '"status":"healthy"';

export interface SiteHealthCheckProps {
  readonly domainName: string;
  readonly envName: string;
}

export class SiteHealthCheck extends Construct {
  readonly healthCheckId: string;

  constructor(scope: Construct, id: string, props: SiteHealthCheckProps) {
    super(scope, id);
    const check = new route53.CfnHealthCheck(this, 'HealthCheck', {
      healthCheckConfig: {
        type: 'HTTPS_STR_MATCH',
        fullyQualifiedDomainName: props.domainName,
        port: 443,
        resourcePath: '/health',
        searchString: HEALTHY_MARKER,
        requestInterval: REQUEST_INTERVAL_SECONDS,
        failureThreshold: FAILURE_THRESHOLD,
        measureLatency: true,
        enableSni: true,
      },
      healthCheckTags: [{ key: 'Name', value: `miko-${props.envName}-site-health` }],
    });
    this.healthCheckId = check.attrHealthCheckId;
  }
}
