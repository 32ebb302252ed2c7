/**
 * What monitoring needs to know about the site, passed explicitly (never read from SiteStack's internals inside the
 * monitoring constructs), so the stacks stay decoupled.
 */
import type * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import type { SiteStack } from '../site/site-stack';

export interface SiteEndpoints {
  /** https://<domain>, no trailing slash: what the prober and people open. */
  readonly siteUrl: string;
  /** The host the Route53 health check calls. */
  readonly domainName: string;
  /** CloudFront distribution id: dimension of the AWS/CloudFront metrics. */
  readonly distributionId: string;
  /** The web ACL's visibility metric name: WAF publishes AWS/WAFV2 metrics with it as the `WebACL` dimension. */
  readonly webAclMetricName: string;
  /** The release store (KeyValueStore) the canary abort function writes. */
  readonly releaseStoreArn: string;
}

/** The endpoints of the site a SiteStack serves. */
export function siteEndpointsOf(site: SiteStack, domainName: string): SiteEndpoints {
  return {
    siteUrl: site.siteUrl,
    domainName,
    distributionId: site.distribution.distributionId,
    webAclMetricName: (site.webAcl.visibilityConfig as wafv2.CfnWebACL.VisibilityConfigProperty).metricName,
    releaseStoreArn: site.releaseStoreArn,
  };
}
