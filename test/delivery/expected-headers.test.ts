/** The headers verify expects of the live site, read from the synthesized response-headers policy. */
import { committedConfig } from '../../lib/config';
import { siteSecurityHeaderSet } from '../../lib/site/security-header-values';
import { expectedHeaders } from '../../scripts/verify/assembly';
import { policyHeaders } from '../../scripts/lib/response-headers';
import { expectedHeadersFromTemplate, NoHeadersPolicyError } from '../../scripts/verify/expected-headers';
import { template } from '../support/assembly';
import { testAssemblyDir } from '../support/cached-assembly';
import { CSP, synthesizedHeaders } from '../support/headers-policy';

describe('expected headers, read from the synthesized response-headers policy', () => {
  it('renders CloudFormation SecurityHeadersConfig and CustomHeadersConfig as the headers CloudFront sends', () => {
    // Synthesized inside the test: code run at import is "static" to Stryker, which then runs every test per mutant.
    const headers = synthesizedHeaders();
    expect(headers.values).toEqual({
      'Strict-Transport-Security': 'max-age=63072000; includeSubDomains; preload',
      'Content-Security-Policy': CSP,
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'strict-origin-when-cross-origin',
      'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
      'Cross-Origin-Opener-Policy': 'same-origin-allow-popups',
      'X-Robots-Tag': 'noindex',
    });
    expect(headers.removed).toEqual(['Server']);
  });

  it("expects exactly the headers the app's config promises, read from the real synthesized Site stack", () => {
    for (const [stage, config] of [
      ['Staging', committedConfig.staging],
      ['Production', committedConfig.production],
    ] as const) {
      const expected = expectedHeaders(testAssemblyDir(), stage);
      if ('error' in expected) throw new Error(expected.error);
      expect(expected.values).toEqual(siteSecurityHeaderSet(config).headers);
    }
  });

  it.each([
    ['ContentTypeOptions', 'X-Content-Type-Options'],
    ['StrictTransportSecurity', 'Strict-Transport-Security'],
    ['FrameOptions', 'X-Frame-Options'],
    ['ReferrerPolicy', 'Referrer-Policy'],
    ['ContentSecurityPolicy', 'Content-Security-Policy or Content-Security-Policy-Report-Only'],
  ])('refuses a policy without %s: checking only what it sets would pass a site that lost %s', (field, header) => {
    const site = structuredClone(template('Staging', 'Site').toJSON());
    const policy = Object.values<any>(site.Resources).find((r) => r.Type === 'AWS::CloudFront::ResponseHeadersPolicy');
    delete policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig[field];
    expect(() => expectedHeadersFromTemplate(site)).toThrow(
      `the response-headers policy does not set ${header}, which every response must carry. Fix: `,
    );
  });

  it('names every header the policy lacks, not just the first', () => {
    const site = structuredClone(template('Staging', 'Site').toJSON());
    const policy = Object.values<any>(site.Resources).find((r) => r.Type === 'AWS::CloudFront::ResponseHeadersPolicy');
    delete policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.FrameOptions;
    delete policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ReferrerPolicy;
    expect(() => expectedHeadersFromTemplate(site)).toThrow(
      'the response-headers policy does not set X-Frame-Options, Referrer-Policy, which every response must carry.',
    );
  });

  it('fails clearly when the Site stack has no policy yet', () => {
    expect(() => expectedHeadersFromTemplate({ Resources: {} })).toThrow(
      'the Site stack has no AWS::CloudFront::ResponseHeadersPolicy',
    );
  });

  const REQUIRED = {
    StrictTransportSecurity: { AccessControlMaxAgeSec: 300, IncludeSubdomains: false, Preload: false },
    ContentTypeOptions: { Override: true },
    FrameOptions: { FrameOption: 'SAMEORIGIN' },
    ReferrerPolicy: { ReferrerPolicy: 'no-referrer' },
    ContentSecurityPolicy: { ContentSecurityPolicy: { 'Fn::Join': ['; ', ["default-src 'none'", "img-src 'self'"]] } },
  };
  const policy = (config: object) => ({
    Type: 'AWS::CloudFront::ResponseHeadersPolicy',
    Properties: { ResponseHeadersPolicyConfig: config },
  });

  it('renders HSTS without its options, a joined literal, and X-XSS-Protection as CloudFront writes each form', () => {
    const rendered = (xss: object) =>
      policyHeaders({ SecurityHeadersConfig: { ...REQUIRED, XSSProtection: xss } }).values;
    expect(rendered({ Protection: false })).toEqual({
      'Strict-Transport-Security': 'max-age=300',
      'Content-Security-Policy': "default-src 'none'; img-src 'self'",
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'SAMEORIGIN',
      'Referrer-Policy': 'no-referrer',
      'X-XSS-Protection': '0',
    });
    expect(rendered({ Protection: true })['X-XSS-Protection']).toBe('1');
    expect(rendered({ Protection: true, ModeBlock: true })['X-XSS-Protection']).toBe('1; mode=block');
    expect(rendered({ Protection: true, ReportUri: '/xss' })['X-XSS-Protection']).toBe('1; report=/xss');
    expect(
      policyHeaders({
        CustomHeadersConfig: {
          Items: [
            { Header: 'X-Count', Value: 3 },
            { Header: 'X-On', Value: true },
          ],
        },
      }),
    ).toEqual({
      values: { 'X-Count': '3', 'X-On': 'true' },
      removed: [],
    });
  });

  it('refuses a value it cannot predict offline (a token), naming the field', () => {
    const token = { Ref: 'Origin' };
    for (const value of [
      token,
      { 'Fn::Join': ['', ['a', token]] },
      { 'Fn::Join': [1, ['a']] },
      { 'Fn::Join': ['', 'a'] },
    ]) {
      const config = { SecurityHeadersConfig: { ...REQUIRED, FrameOptions: { FrameOption: value } } };
      expect(() => policyHeaders(config)).toThrow(NoHeadersPolicyError);
      expect(() => policyHeaders(config)).toThrow(
        `FrameOptions.FrameOption is not a literal in the template (${JSON.stringify(value)})`,
      );
    }
    const security = (field: string, value: object) => ({ SecurityHeadersConfig: { ...REQUIRED, [field]: value } });
    for (const [config, where] of [
      [
        security('StrictTransportSecurity', { AccessControlMaxAgeSec: token }),
        'StrictTransportSecurity.AccessControlMaxAgeSec',
      ],
      [security('ContentSecurityPolicy', { ContentSecurityPolicy: token }), 'ContentSecurityPolicy'],
      [security('ReferrerPolicy', { ReferrerPolicy: token }), 'ReferrerPolicy.ReferrerPolicy'],
      [security('XSSProtection', { Protection: true, ReportUri: token }), 'XSSProtection.ReportUri'],
      [{ CustomHeadersConfig: { Items: [{ Header: token, Value: 'x' }] } }, 'CustomHeadersConfig header name'],
      [{ CustomHeadersConfig: { Items: [{ Header: 'X-A', Value: token }] } }, 'custom header X-A'],
      [{ RemoveHeadersConfig: { Items: [{ Header: token }] } }, 'RemoveHeadersConfig header name'],
    ] as const)
      expect(() => policyHeaders(config)).toThrow(`${where} is not a literal in the template`);
  });

  it("reads the default behaviour's policy when the stack has several, and refuses one no behaviour uses or one that sets nothing", () => {
    const stack = (ref: string) => ({
      Resources: {
        Other: policy({ CustomHeadersConfig: { Items: [{ Header: 'X-Other', Value: 'yes' }] } }),
        Site: policy({ SecurityHeadersConfig: REQUIRED }),
        Distribution: {
          Type: 'AWS::CloudFront::Distribution',
          Properties: { DistributionConfig: { DefaultCacheBehavior: { ResponseHeadersPolicyId: { Ref: ref } } } },
        },
      },
    });
    expect(expectedHeadersFromTemplate(stack('Site')).values['X-Frame-Options']).toBe('SAMEORIGIN');
    expect(() => expectedHeadersFromTemplate(stack('Gone'))).toThrow(
      'the Site stack has 2 response-headers policies and the default behaviour uses none of them',
    );
    const twoPolicies = { Other: stack('Site').Resources.Other, Site: stack('Site').Resources.Site };
    for (const distribution of [
      undefined,
      { Type: 'AWS::CloudFront::Distribution' },
      { Type: 'AWS::CloudFront::Distribution', Properties: {} },
      { Type: 'AWS::CloudFront::Distribution', Properties: { DistributionConfig: {} } },
    ])
      expect(() =>
        expectedHeadersFromTemplate({ Resources: { ...twoPolicies, ...(distribution && { distribution }) } }),
      ).toThrow('the default behaviour uses none of them');
    for (const site of [policy({}), { Type: 'AWS::CloudFront::ResponseHeadersPolicy' }])
      expect(() => expectedHeadersFromTemplate({ Resources: { Site: site } })).toThrow(
        'the response-headers policy sets no header',
      );
  });
});
