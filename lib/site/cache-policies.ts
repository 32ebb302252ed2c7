/**
 * Cache policies per path. Both honour the Cache-Control written at upload (`releases.ts` sets it per file class),
 * keep no cookie, header or query string in the cache key (the SPA's files do not vary by them), and accept
 * brotli and gzip.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { Construct } from 'constructs';

/** Hashed files never change under their name, so a year at the edge and in the browser is safe. */
export const IMMUTABLE_TTL = Duration.days(365);

/**
 * Unhashed files (HTML, config.json, version.json, robots.txt, favicon) are uploaded with no-cache or a 5-minute
 * max-age; an hour is the ceiling the edge may ever keep them, even if an upload forgot its Cache-Control.
 */
export const DOCUMENT_MAX_TTL = Duration.hours(1);

export class SiteCachePolicies extends Construct {
  /** `/assets/*`: hashed, immutable. */
  readonly assets: cloudfront.CachePolicy;
  /** Everything else from the bucket: revalidated (HTML, runtime config) or briefly cached (public files). */
  readonly documents: cloudfront.CachePolicy;

  constructor(scope: Construct, id: string, props: { envName: string }) {
    super(scope, id);
    const common = {
      cookieBehavior: cloudfront.CacheCookieBehavior.none(),
      headerBehavior: cloudfront.CacheHeaderBehavior.none(),
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.none(),
      enableAcceptEncodingBrotli: true,
      enableAcceptEncodingGzip: true,
    };
    this.assets = new cloudfront.CachePolicy(this, 'Assets', {
      comment: `MiKO ${props.envName}: hashed assets, immutable for a year`,
      minTtl: Duration.days(1),
      defaultTtl: IMMUTABLE_TTL,
      maxTtl: IMMUTABLE_TTL,
      ...common,
    });
    this.documents = new cloudfront.CachePolicy(this, 'Documents', {
      comment: `MiKO ${props.envName}: HTML, runtime config and public files, revalidated`,
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(0),
      maxTtl: DOCUMENT_MAX_TTL,
      ...common,
    });
  }
}
