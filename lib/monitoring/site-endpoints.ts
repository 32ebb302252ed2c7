/**
 * What monitoring needs to know about the site, passed explicitly (never read from SiteStack's internals), so the
 * stacks stay decoupled and the integrator wires `site.distribution.distributionId`, `site.webAcl.attrName`, etc.
 */
export interface SiteEndpoints {
  /** https://<domain>, no trailing slash: what the prober and people open. */
  readonly siteUrl: string;
  /** The host the Route53 health check calls. */
  readonly domainName: string;
  /** CloudFront distribution id: dimension of the AWS/CloudFront metrics. */
  readonly distributionId: string;
  /** Name of the CLOUDFRONT-scope web ACL: dimension of the AWS/WAFV2 metrics. */
  readonly webAclName: string;
}
