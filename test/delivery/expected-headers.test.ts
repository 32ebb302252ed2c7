/** The headers verify expects of the live site, read from the synthesized response-headers policy. */
import { committedConfig } from '../../lib/config';
import { siteSecurityHeaderSet } from '../../lib/site/security-header-values';
import { expectedHeaders } from '../../scripts/verify/assembly';
import { expectedHeadersFromTemplate } from '../../scripts/verify/expected-headers';
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

  it('fails clearly when the Site stack has no policy yet', () => {
    expect(() => expectedHeadersFromTemplate({ Resources: {} })).toThrow(
      'the Site stack has no AWS::CloudFront::ResponseHeadersPolicy',
    );
  });
});
