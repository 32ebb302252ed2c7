/**
 * The CloudFront distribution: the release bucket behind Origin Access Control (no OAI), `/assets/*` cached for a
 * year, everything else revalidated, `/health*` to the health API's function URL (never cached), the security
 * headers and the routing function on every behaviour, TLS 1.2+ (2021 policy), HTTP/2 and HTTP/3, IPv6.
 */
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Validations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { PROBE_TOKEN_HEADER } from '../../lambda/shared/probe-token';
import { SiteCachePolicies } from './cache-policies';
import { TELEMETRY_PATH_PATTERN } from '../telemetry/paths';

/**
 * North America and Europe edges: the practice's patients are in Los Angeles; the wider price classes cost more
 * per GB for edges its patients do not use.
 */
export const PRICE_CLASS = cloudfront.PriceClass.PRICE_CLASS_100;

/** Request headers the health API sees: the live release id set by the routing function, nothing else (no cookie). */
// The prober's token too, so /health/db and /health/apis can tell the prober from anyone else (probe-token.ts).
export const HEALTH_FORWARDED_HEADERS = ['x-miko-release', PROBE_TOKEN_HEADER] as const;

/**
 * Request headers the telemetry collector sees: what it checks, the release, the User-Agent it reduces to a browser
 * family. No cookie, query string or viewer-address header, so it cannot store an IP it never receives.
 */
export const TELEMETRY_FORWARDED_HEADERS = ['origin', 'content-type', 'user-agent', 'x-miko-release'] as const;

/** The release bucket as an S3 origin signed by an Origin Access Control whose grant lives in `release-bucket-policy.ts`. */
class ReleaseBucketOrigin extends origins.S3BucketOrigin {
  constructor(
    bucket: s3.IBucket,
    private readonly accessControl: cloudfront.IOriginAccessControl,
  ) {
    super(bucket);
  }

  override bind(scope: Construct, options: cloudfront.OriginBindOptions): cloudfront.OriginBindConfig {
    // The stock OAC origin would add the grant to the bucket's policy in the Data stack (a cycle); ours is written
    // in this stack instead, so only the access control is attached here.
    const config = this._bind(scope, options);
    return {
      ...config,
      originProperty: { ...config.originProperty!, originAccessControlId: this.accessControl.originAccessControlId },
    };
  }

  protected override renderS3OriginConfig(): cloudfront.CfnDistribution.S3OriginConfigProperty {
    return { originAccessIdentity: '' };
  }
}

export interface SiteDistributionProps {
  readonly envName: string;
  readonly siteBucket: s3.IBucket;
  readonly healthUrl: lambda.FunctionUrl;
  /** The telemetry collector's function URL and the edge function that hashes its POST bodies for OAC. */
  readonly telemetry: { readonly collectorUrl: lambda.FunctionUrl; readonly payloadHasher: lambda.IVersion };
  readonly headersPolicy: cloudfront.IResponseHeadersPolicy;
  readonly viewerRequest: cloudfront.IFunction;
  /** Names the release served and pins the browser's canary bucket (bucket behaviours only). */
  readonly viewerResponse: cloudfront.IFunction;
  readonly domainName: string;
  readonly certificate: acm.ICertificate;
  readonly webAclArn: string;
}

export class SiteDistribution extends Construct {
  readonly distribution: cloudfront.Distribution;

  constructor(scope: Construct, id: string, props: SiteDistributionProps) {
    super(scope, id);
    const cachePolicies = new SiteCachePolicies(this, 'CachePolicies', { envName: props.envName });
    const bucketAccess = new cloudfront.S3OriginAccessControl(this, 'ReleaseBucketAccess', {
      description: `MiKO ${props.envName}: CloudFront signs every request to the release bucket`,
      signing: cloudfront.Signing.SIGV4_ALWAYS,
    });
    const bucketOrigin = new ReleaseBucketOrigin(props.siteBucket, bucketAccess);
    const routing: cloudfront.FunctionAssociation[] = [
      { function: props.viewerRequest, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST },
    ];
    const fromBucket = {
      origin: bucketOrigin,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
      compress: true,
      responseHeadersPolicy: props.headersPolicy,
      functionAssociations: [
        ...routing,
        { function: props.viewerResponse, eventType: cloudfront.FunctionEventType.VIEWER_RESPONSE },
      ],
    };
    const healthRequests = new cloudfront.OriginRequestPolicy(this, 'HealthRequests', {
      comment: `MiKO ${props.envName}: the release header and the prober's token to the health API; no cookie, no query string`,
      headerBehavior: cloudfront.OriginRequestHeaderBehavior.allowList(...HEALTH_FORWARDED_HEADERS),
      cookieBehavior: cloudfront.OriginRequestCookieBehavior.none(),
      queryStringBehavior: cloudfront.OriginRequestQueryStringBehavior.none(),
    });
    const telemetryRequests = new cloudfront.OriginRequestPolicy(this, 'TelemetryRequests', {
      comment: `MiKO ${props.envName}: what the telemetry collector checks; no cookie, no query string, no viewer address`,
      headerBehavior: cloudfront.OriginRequestHeaderBehavior.allowList(...TELEMETRY_FORWARDED_HEADERS),
      cookieBehavior: cloudfront.OriginRequestCookieBehavior.none(),
      queryStringBehavior: cloudfront.OriginRequestQueryStringBehavior.none(),
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `MiKO ${props.envName} patient site`,
      domainNames: [props.domainName],
      certificate: props.certificate,
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableIpv6: true,
      priceClass: PRICE_CLASS,
      webAclId: props.webAclArn,
      defaultBehavior: { ...fromBucket, cachePolicy: cachePolicies.documents },
      additionalBehaviors: {
        '/assets/*': { ...fromBucket, cachePolicy: cachePolicies.assets },
        '/health*': {
          origin: origins.FunctionUrlOrigin.withOriginAccessControl(props.healthUrl),
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          originRequestPolicy: healthRequests,
          responseHeadersPolicy: props.headersPolicy,
          functionAssociations: routing,
        },
        [TELEMETRY_PATH_PATTERN]: {
          origin: origins.FunctionUrlOrigin.withOriginAccessControl(props.telemetry.collectorUrl),
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          // Browsers POST reports and beacons; the collector answers anything else with 405.
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          originRequestPolicy: telemetryRequests,
          responseHeadersPolicy: props.headersPolicy,
          functionAssociations: routing,
          edgeLambdas: [
            {
              functionVersion: props.telemetry.payloadHasher,
              eventType: cloudfront.LambdaEdgeEventType.ORIGIN_REQUEST,
              includeBody: true,
            },
          ],
        },
      },
      // No error-response mapping on purpose: a missing file stays a 404 (the routing function serves the SPA's
      // routes), so a broken deploy shows up as errors instead of index.html answering 200 for a missing chunk.
    });
    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions::AwsSolutions-CFR1',
        reason:
          'Patients travel and use the portal from abroad; the WAF and rate limits handle abuse, geo-blocking would lock out patients.',
      },
      {
        id: 'AwsSolutions::AwsSolutions-CFR3',
        reason:
          'Access logs use CloudFront standard logging v2 (access-logs.ts) to the log bucket, with fields chosen to exclude query strings, cookies and Referer; the legacy Logging property this rule reads cannot select fields.',
      },
    );
  }
}
