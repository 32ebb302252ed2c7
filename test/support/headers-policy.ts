/**
 * A response-headers policy as the Site stack declares it (shape only: the Site stack owns the real values), and
 * the headers verify expects of a site behind it, read from its synthesized template.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { ExpectedHeaders, expectedHeadersFromTemplate } from '../../scripts/verify/expected-headers';

export const CSP =
  "default-src 'none'; script-src 'self'; connect-src 'self' https://ref.supabase.co wss://ref.supabase.co; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; upgrade-insecure-requests";

/** A headers policy as the Site stack would declare it (shape only: the Site issue owns the real values). */
export function addHeadersPolicy(stack: Stack): void {
  new cloudfront.ResponseHeadersPolicy(stack, 'SecurityHeaders', {
    securityHeadersBehavior: {
      strictTransportSecurity: {
        accessControlMaxAge: Duration.seconds(63072000),
        includeSubdomains: true,
        preload: true,
        override: true,
      },
      contentSecurityPolicy: { contentSecurityPolicy: CSP, override: true },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
      referrerPolicy: {
        referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
        override: true,
      },
    },
    customHeadersBehavior: {
      customHeaders: [
        { header: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()', override: true },
        { header: 'Cross-Origin-Opener-Policy', value: 'same-origin-allow-popups', override: true },
        { header: 'X-Robots-Tag', value: 'noindex', override: true },
      ],
    },
    removeHeaders: ['Server'],
  });
}

export function synthesizedHeaders(): ExpectedHeaders {
  const stack = new Stack(new App(), 'Site');
  addHeadersPolicy(stack);
  return expectedHeadersFromTemplate(Template.fromStack(stack).toJSON());
}
