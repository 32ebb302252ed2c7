/**
 * The security headers the live site must send, read from what was synthesized: the Site stack's
 * AWS::CloudFront::ResponseHeadersPolicy (SecurityHeadersConfig + CustomHeadersConfig + RemoveHeadersConfig).
 * Verifying against the template, not a copy of the values, means a header changed in code is checked as changed.
 */

export interface ExpectedHeaders {
  /** Header name (as CloudFront sends it) → exact value. */
  readonly values: Readonly<Record<string, string>>;
  /** Headers the policy strips (e.g. Server): they must not reach the browser. */
  readonly removed: readonly string[];
}

/** The template has no usable policy: verify fails the header checks with this message instead of passing them. */
export class NoHeadersPolicyError extends Error {}

type Template = { Resources?: Record<string, { Type: string; Properties?: any }> };

/** Plain strings, or an Fn::Join of plain strings (how CDK renders a list joined in code); anything else is unknowable offline. */
function literal(value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const join = (value as any)?.['Fn::Join'];
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1]) && join[1].every((p: unknown) => typeof p === 'string')) {
    return join[1].join(join[0]);
  }
  throw new NoHeadersPolicyError(`${where} is not a literal in the template (${JSON.stringify(value)}), so its live value cannot be predicted`);
}

/** CloudFront renders SecurityHeadersConfig as these headers; see the ResponseHeadersPolicy CloudFormation reference. */
function securityHeaders(config: any): Record<string, string> {
  const headers: Record<string, string> = {};
  if (!config) return headers;
  const hsts = config.StrictTransportSecurity;
  if (hsts) {
    headers['Strict-Transport-Security'] = [
      `max-age=${literal(hsts.AccessControlMaxAgeSec, 'StrictTransportSecurity.AccessControlMaxAgeSec')}`,
      ...(hsts.IncludeSubdomains ? ['includeSubDomains'] : []),
      ...(hsts.Preload ? ['preload'] : []),
    ].join('; ');
  }
  if (config.ContentSecurityPolicy) headers['Content-Security-Policy'] = literal(config.ContentSecurityPolicy.ContentSecurityPolicy, 'ContentSecurityPolicy');
  if (config.ContentTypeOptions) headers['X-Content-Type-Options'] = 'nosniff';
  if (config.FrameOptions) headers['X-Frame-Options'] = literal(config.FrameOptions.FrameOption, 'FrameOptions.FrameOption');
  if (config.ReferrerPolicy) headers['Referrer-Policy'] = literal(config.ReferrerPolicy.ReferrerPolicy, 'ReferrerPolicy.ReferrerPolicy');
  const xss = config.XSSProtection;
  if (xss) {
    headers['X-XSS-Protection'] = xss.Protection
      ? ['1', ...(xss.ModeBlock ? ['mode=block'] : []), ...(xss.ReportUri ? [`report=${literal(xss.ReportUri, 'XSSProtection.ReportUri')}`] : [])].join('; ')
      : '0';
  }
  return headers;
}

/** The policy the distribution's default behaviour uses, or the only one in the stack. */
function findPolicy(template: Template): any {
  const resources = Object.entries(template.Resources ?? {});
  const policies = resources.filter(([, r]) => r.Type === 'AWS::CloudFront::ResponseHeadersPolicy');
  if (policies.length === 0) throw new NoHeadersPolicyError('the Site stack has no AWS::CloudFront::ResponseHeadersPolicy');
  if (policies.length === 1) return policies[0][1].Properties?.ResponseHeadersPolicyConfig;
  const distribution = resources.find(([, r]) => r.Type === 'AWS::CloudFront::Distribution')?.[1];
  const ref = distribution?.Properties?.DistributionConfig?.DefaultCacheBehavior?.ResponseHeadersPolicyId?.Ref;
  const chosen = policies.find(([id]) => id === ref);
  if (!chosen) throw new NoHeadersPolicyError(`the Site stack has ${policies.length} response-headers policies and the default behaviour uses none of them`);
  return chosen[1].Properties?.ResponseHeadersPolicyConfig;
}

export function expectedHeadersFromTemplate(template: Template): ExpectedHeaders {
  const config = findPolicy(template);
  const values = securityHeaders(config?.SecurityHeadersConfig);
  for (const item of config?.CustomHeadersConfig?.Items ?? []) {
    values[literal(item.Header, 'CustomHeadersConfig header name')] = literal(item.Value, `custom header ${item.Header}`);
  }
  if (Object.keys(values).length === 0) throw new NoHeadersPolicyError('the response-headers policy sets no header');
  const removed = (config?.RemoveHeadersConfig?.Items ?? []).map((item: any) => literal(item.Header, 'RemoveHeadersConfig header name'));
  return { values, removed };
}
