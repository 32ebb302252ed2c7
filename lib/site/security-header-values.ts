/**
 * The exact security headers every response of the site carries, derived from config (pure, unit-tested). The
 * CloudFront response-headers policy (`security-headers.ts`) and the Observatory scorer both read this one list.
 */
import type { EnvironmentConfig } from '../config';
import { TELEMETRY_CSP_REPORTING } from '../telemetry/paths';
import { buildContentSecurityPolicy, CspReporting } from './content-security-policy';

/** Two years, includeSubDomains and preload: what hstspreload.org requires for listing. */
export const HSTS_MAX_AGE_SECONDS = 63_072_000;

/** Every powerful feature the patient app does not use is denied, so injected code cannot use it either. */
export const PERMISSIONS_POLICY = [
  'accelerometer=()',
  'autoplay=()',
  'bluetooth=()',
  'camera=()',
  'display-capture=()',
  'encrypted-media=()',
  'fullscreen=(self)',
  'geolocation=()',
  'gyroscope=()',
  'hid=()',
  'idle-detection=()',
  'magnetometer=()',
  'microphone=()',
  'midi=()',
  'payment=()',
  'picture-in-picture=()',
  'publickey-credentials-get=()',
  'screen-wake-lock=()',
  'serial=()',
  'usb=()',
  'xr-spatial-tracking=()',
  'browsing-topics=()',
].join(', ');

/** CloudFront refuses a response-headers policy whose Content-Security-Policy is longer than this. */
export const CLOUDFRONT_CSP_MAX_LENGTH = 1783;

export interface SecurityHeaderSettings {
  readonly backends: EnvironmentConfig['backends'];
  readonly site: EnvironmentConfig['site'];
  readonly csp: EnvironmentConfig['csp'];
  /** Where CSP reports go (the telemetry collector); omitted, the policy names no endpoint. */
  readonly cspReporting?: CspReporting;
}

export interface SecurityHeaderSet {
  /** `Content-Security-Policy` or `Content-Security-Policy-Report-Only`, per the environment's switch. */
  readonly contentSecurityPolicyHeader: 'Content-Security-Policy' | 'Content-Security-Policy-Report-Only';
  /** Header name (as sent) → value. */
  readonly headers: Readonly<Record<string, string>>;
}

export function securityHeaderSet({ backends, site, csp, cspReporting }: SecurityHeaderSettings): SecurityHeaderSet {
  const contentSecurityPolicyHeader =
    site.contentSecurityPolicy === 'enforce' ? 'Content-Security-Policy' : 'Content-Security-Policy-Report-Only';
  const policy = buildContentSecurityPolicy({ backends, additions: csp, reporting: cspReporting });
  if (policy.length > CLOUDFRONT_CSP_MAX_LENGTH) {
    throw new Error(
      `the Content-Security-Policy is ${policy.length} characters; CloudFront accepts at most ${CLOUDFRONT_CSP_MAX_LENGTH}, so the deploy would fail. Fix: list fewer origins in csp (an origin covers every path on it).`,
    );
  }
  const headers: Record<string, string> = {
    'Strict-Transport-Security': `max-age=${HSTS_MAX_AGE_SECONDS}; includeSubDomains; preload`,
    [contentSecurityPolicyHeader]: policy,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'Permissions-Policy': PERMISSIONS_POLICY,
    // Google sign-in in a popup must be able to post its result back to the opener.
    'Cross-Origin-Opener-Policy': backends.google.signInWithPopup ? 'same-origin-allow-popups' : 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
  // The Reporting API's endpoint for the policy's report-to group (report-uri needs no header).
  if (cspReporting) {
    // `default` is where browsers send crash, deprecation and intervention reports without any app code.
    const groups = [
      `${cspReporting.group}="${cspReporting.path}"`,
      ...(cspReporting.browserReportsPath ? [`default="${cspReporting.browserReportsPath}"`] : []),
    ];
    headers['Reporting-Endpoints'] = groups.join(', ');
  }
  if (!site.indexable) headers['X-Robots-Tag'] = 'noindex';
  return { contentSecurityPolicyHeader, headers };
}

/** The header set the site's distribution sends: the environment's, with CSP reports to the telemetry collector. */
export function siteSecurityHeaderSet(config: Omit<SecurityHeaderSettings, 'cspReporting'>): SecurityHeaderSet {
  return securityHeaderSet({ ...config, cspReporting: TELEMETRY_CSP_REPORTING });
}
