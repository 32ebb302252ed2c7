/**
 * The security headers the live site must send, read from what was synthesized: the Site stack's
 * AWS::CloudFront::ResponseHeadersPolicy (SecurityHeadersConfig + CustomHeadersConfig + RemoveHeadersConfig).
 * Verifying against the template, not a copy of the values, means a header changed in code is checked as changed.
 */
import { NoHeadersPolicyError, PolicyHeaders, policyHeaders } from '../lib/response-headers';
import {
  DistributionProperties,
  propertiesOf,
  refId,
  ResponseHeadersPolicyConfig,
  ResponseHeadersPolicyProperties,
  Template,
} from '../../tools/analysis/template';

export { NoHeadersPolicyError };

/** What the live site must send: the default behaviour's policy's headers (and the ones it strips). */
export type ExpectedHeaders = PolicyHeaders;

/** The policy the distribution's default behaviour uses, or the only one in the stack. */
function findPolicy(template: Template): ResponseHeadersPolicyConfig | undefined {
  const resources = Object.entries(template.Resources ?? {});
  const policies = resources.filter(([, r]) => r.Type === 'AWS::CloudFront::ResponseHeadersPolicy');
  if (policies.length === 0)
    throw new NoHeadersPolicyError('the Site stack has no AWS::CloudFront::ResponseHeadersPolicy');
  if (policies.length === 1)
    return propertiesOf<ResponseHeadersPolicyProperties>(policies[0][1])?.ResponseHeadersPolicyConfig;
  const distribution = resources.find(([, r]) => r.Type === 'AWS::CloudFront::Distribution')?.[1];
  const ref = refId(
    propertiesOf<DistributionProperties>(distribution)?.DistributionConfig?.DefaultCacheBehavior
      ?.ResponseHeadersPolicyId,
  );
  const chosen = policies.find(([id]) => id === ref);
  if (!chosen)
    throw new NoHeadersPolicyError(
      `the Site stack has ${policies.length} response-headers policies and the default behaviour uses none of them`,
    );
  return propertiesOf<ResponseHeadersPolicyProperties>(chosen[1])?.ResponseHeadersPolicyConfig;
}

/**
 * Headers every response must carry whatever the code says: checking only what the template sets would pass a
 * live site whose policy lost one (with either Content-Security-Policy header).
 */
export const REQUIRED_HEADERS = [
  'Strict-Transport-Security',
  'X-Content-Type-Options',
  'X-Frame-Options',
  'Referrer-Policy',
] as const;
const CSP_HEADERS = ['Content-Security-Policy', 'Content-Security-Policy-Report-Only'];

export function expectedHeadersFromTemplate(template: Template): ExpectedHeaders {
  const headers = policyHeaders(findPolicy(template));
  if (Object.keys(headers.values).length === 0)
    throw new NoHeadersPolicyError('the response-headers policy sets no header');
  const missing = [
    ...REQUIRED_HEADERS.filter((name) => !(name in headers.values)),
    ...(CSP_HEADERS.some((name) => name in headers.values) ? [] : [CSP_HEADERS.join(' or ')]),
  ];
  if (missing.length > 0)
    throw new NoHeadersPolicyError(
      `the response-headers policy does not set ${missing.join(', ')}, which every response must carry. Fix: set it in lib/site/security-headers.ts and synthesize again`,
    );
  return headers;
}
