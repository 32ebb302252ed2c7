/**
 * Route53's outside view of `/health`: checkers in several regions, HTTPS (a 2xx or 3xx within 4 s counts), every
 * 30 s. Its metric exists only in us-east-1 at 1-minute resolution, which is why it
 * backs up the prober (which detects a site down in 20 s) rather than replacing it.
 */
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';

/**
 * The standard interval. The fast one (10 s) is a $2/month option per check; with the threshold below it would
 * detect 10 s sooner (`npm run ttd`: 125 s instead of 135 s) on an alarm that only backs up the prober.
 */
const REQUEST_INTERVAL_SECONDS = 30;
/**
 * One failed request per checker: Route53 marks the endpoint unhealthy only when more than 82 % of its checkers
 * (in several regions) fail, so one dropped packet at one checker still does not flip it.
 */
const FAILURE_THRESHOLD = 1;
/** Latency measurement is a $2/month option; the prober's page-load latency (and its alarms) covers it. */
/**
 * No string match (a paid option): the prober already proves bodies on `/health`, the page and its asset, and
 * `/health` never answers from an error page, so a plain HTTPS check sees every outage the outside view is for.
 */
const MEASURE_LATENCY = false;

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
        type: 'HTTPS',
        fullyQualifiedDomainName: props.domainName,
        port: 443,
        resourcePath: '/health',
        requestInterval: REQUEST_INTERVAL_SECONDS,
        failureThreshold: FAILURE_THRESHOLD,
        measureLatency: MEASURE_LATENCY,
        enableSni: true,
      },
      healthCheckTags: [{ key: 'Name', value: `miko-${props.envName}-site-health` }],
    });
    this.healthCheckId = check.attrHealthCheckId;
  }
}
