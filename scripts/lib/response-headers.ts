/**
 * The headers a CloudFront response-headers policy adds, computed from its CloudFormation shape
 * (SecurityHeadersConfig + CustomHeadersConfig + RemoveHeadersConfig). Shared by `verify` (what the live site
 * must send) and `preview` (what the local server sends), so both read the synthesized policy, not a copy.
 */
import { isRecord, ResponseHeadersPolicyConfig, SecurityHeadersConfig } from '../../tools/analysis/template';

export interface PolicyHeaders {
  /** Header name (as CloudFront sends it) → exact value. */
  readonly values: Readonly<Record<string, string>>;
  /** Headers the policy strips from the origin's answer. */
  readonly removed: readonly string[];
}

/** The template holds something whose live value cannot be known offline (a token), or no policy at all. */
export class NoHeadersPolicyError extends Error {}

/** Plain strings, or an Fn::Join of plain strings (how CDK renders a list joined in code). */
export function literal(value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const join = isRecord(value) ? value['Fn::Join'] : undefined;
  if (
    Array.isArray(join) &&
    typeof join[0] === 'string' &&
    Array.isArray(join[1]) &&
    join[1].every((p: unknown) => typeof p === 'string')
  ) {
    return join[1].join(join[0]);
  }
  throw new NoHeadersPolicyError(
    `${where} is not a literal in the template (${JSON.stringify(value)}), so its live value cannot be predicted`,
  );
}

/** CloudFront renders SecurityHeadersConfig as these headers; see the ResponseHeadersPolicy CloudFormation reference. */
function securityHeaders(config: SecurityHeadersConfig | undefined): Record<string, string> {
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
  if (config.ContentSecurityPolicy)
    headers['Content-Security-Policy'] = literal(
      config.ContentSecurityPolicy.ContentSecurityPolicy,
      'ContentSecurityPolicy',
    );
  if (config.ContentTypeOptions) headers['X-Content-Type-Options'] = 'nosniff';
  if (config.FrameOptions)
    headers['X-Frame-Options'] = literal(config.FrameOptions.FrameOption, 'FrameOptions.FrameOption');
  if (config.ReferrerPolicy)
    headers['Referrer-Policy'] = literal(config.ReferrerPolicy.ReferrerPolicy, 'ReferrerPolicy.ReferrerPolicy');
  const xss = config.XSSProtection;
  if (xss) {
    headers['X-XSS-Protection'] = xss.Protection
      ? [
          '1',
          ...(xss.ModeBlock ? ['mode=block'] : []),
          ...(xss.ReportUri ? [`report=${literal(xss.ReportUri, 'XSSProtection.ReportUri')}`] : []),
        ].join('; ')
      : '0';
  }
  return headers;
}

/** The headers one policy's ResponseHeadersPolicyConfig adds and removes. */
export function policyHeaders(config: ResponseHeadersPolicyConfig | undefined): PolicyHeaders {
  const values = securityHeaders(config?.SecurityHeadersConfig);
  for (const item of config?.CustomHeadersConfig?.Items ?? []) {
    values[literal(item.Header, 'CustomHeadersConfig header name')] = literal(
      item.Value,
      `custom header ${item.Header}`,
    );
  }
  const removed = (config?.RemoveHeadersConfig?.Items ?? []).map((item) =>
    literal(item.Header, 'RemoveHeadersConfig header name'),
  );
  return { values, removed };
}
