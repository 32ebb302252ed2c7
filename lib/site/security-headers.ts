/**
 * The response-headers policy attached to every behaviour (HTML, assets, health): headers belong here, not in a
 * viewer-response function, because functions do not run on error responses and the policy does.
 */
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { HSTS_MAX_AGE_SECONDS, SecurityHeaderSet } from './security-header-values';

/** Headers CloudFront sets through its typed security-headers block; every other header is a custom header. */
const TYPED_HEADERS = new Set([
  'Strict-Transport-Security',
  'Content-Security-Policy',
  'X-Content-Type-Options',
  'X-Frame-Options',
  'Referrer-Policy',
]);

export class SecurityHeaders extends Construct {
  readonly policy: cloudfront.ResponseHeadersPolicy;

  constructor(scope: Construct, id: string, props: { envName: string; headerSet: SecurityHeaderSet }) {
    super(scope, id);
    const { headers } = props.headerSet;
    const enforcedPolicy = headers['Content-Security-Policy'];
    this.policy = new cloudfront.ResponseHeadersPolicy(this, 'Policy', {
      comment: `MiKO ${props.envName}: security headers on every response`,
      securityHeadersBehavior: {
        strictTransportSecurity: {
          accessControlMaxAge: Duration.seconds(HSTS_MAX_AGE_SECONDS),
          includeSubdomains: true,
          preload: true,
          override: true,
        },
        ...(enforcedPolicy ? { contentSecurityPolicy: { contentSecurityPolicy: enforcedPolicy, override: true } } : {}),
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: {
          referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
          override: true,
        },
      },
      customHeadersBehavior: {
        customHeaders: Object.entries(headers)
          .filter(([name]) => !TYPED_HEADERS.has(name))
          .map(([header, value]) => ({ header, value, override: true })),
      },
      // The origin's product names help nobody but an attacker picking an exploit.
      removeHeaders: ['Server'],
    });
  }
}
