import { committedConfig } from '../../lib/config';
import { buildContentSecurityPolicy, connectSources } from '../../lib/site/content-security-policy';
import { CLOUDFRONT_CSP_MAX_LENGTH, securityHeaderSet } from '../../lib/site/security-header-values';
import { parseContentSecurityPolicy } from '../support/csp';

const { staging, production } = committedConfig;
const policyOf = (config: typeof staging) =>
  parseContentSecurityPolicy(buildContentSecurityPolicy({ backends: config.backends, additions: config.csp }))!;

describe('the Content-Security-Policy built from config', () => {
  it.each([
    ['staging', staging],
    ['production', production],
  ] as const)('%s: connect-src lists exactly its backends, then its declared additions', (_name, config) => {
    const ref = new URL(config.backends.supabase.projectUrl).host;
    expect(policyOf(config).get('connect-src')).toEqual([
      "'self'",
      `https://${ref}`,
      `wss://${ref}`,
      new URL(config.backends.n8n.webhookUrl).origin,
      'https://www.googleapis.com',
      'https://oauth2.googleapis.com',
      new URL(config.backends.sentry.dsn).origin,
      ...config.csp['connect-src']!,
    ]);
  });

  it('never allows inline or eval script, and locks down everything else', () => {
    for (const config of [staging, production]) {
      const policy = policyOf(config);
      expect(policy.get('default-src')).toEqual(["'none'"]);
      expect(policy.get('script-src')).toEqual(["'self'", 'https://accounts.google.com']);
      expect(policy.get('style-src')).toEqual(["'self'"]);
      expect(policy.get('object-src')).toEqual(["'none'"]);
      expect(policy.get('base-uri')).toEqual(["'none'"]);
      expect(policy.get('form-action')).toEqual(["'self'"]);
      expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
      expect(policy.get('upgrade-insecure-requests')).toEqual([]);
      // The one documented last resort: inline <style> elements (react-remove-scroll-bar's text varies per device).
      const withUnsafeInline = [...policy.entries()]
        .filter(([, sources]) => sources.includes("'unsafe-inline'"))
        .map(([name]) => name);
      expect(withUnsafeInline).toEqual(['style-src-elem']);
      expect([...policy.values()].flat()).not.toEqual(expect.arrayContaining(["'unsafe-eval'"]));
    }
  });

  it('never puts the Sentry DSN public key or a webhook path into the policy', () => {
    const header = buildContentSecurityPolicy({ backends: production.backends, additions: production.csp });
    expect(header).not.toContain('publickey');
    expect(header).not.toContain('/webhook/');
  });

  it('writes each declared addition into its own directive, and extended-only directives only when declared', () => {
    const additions = {
      'img-src': ['https://maps.gstatic.com', 'data:'],
      'font-src': ['https://fonts.gstatic.com'],
      'style-src-elem': ["'sha256-abc='"],
    };
    const policy = parseContentSecurityPolicy(buildContentSecurityPolicy({ backends: staging.backends, additions }))!;
    expect(policy.get('img-src')).toEqual(["'self'", 'https://maps.gstatic.com', 'data:']);
    expect(policy.get('font-src')).toEqual(["'self'", 'https://fonts.gstatic.com']);
    expect(policy.get('style-src')).toEqual(["'self'"]);
    expect(policy.get('style-src-elem')).toEqual(["'self'", "'sha256-abc='"]);
    for (const directive of ['style-src-attr', 'frame-src', 'worker-src']) expect(policy.has(directive)).toBe(false);
    const bare = parseContentSecurityPolicy(buildContentSecurityPolicy({ backends: staging.backends, additions: {} }))!;
    expect(bare.get('script-src')).toEqual(["'self'"]);
    expect(bare.get('img-src')).toEqual(["'self'"]);
    const extended = parseContentSecurityPolicy(
      buildContentSecurityPolicy({
        backends: staging.backends,
        additions: {
          'style-src-attr': ["'unsafe-inline'"],
          'frame-src': ['https://www.youtube-nocookie.com'],
          'worker-src': ['blob:'],
        },
      }),
    )!;
    expect(extended.get('style-src-attr')).toEqual(["'unsafe-inline'"]);
    expect(extended.get('frame-src')).toEqual(['https://www.youtube-nocookie.com']);
    expect(extended.get('worker-src')).toEqual(["'self'", 'blob:']);
    expect([...bare.keys()]).toEqual([
      'default-src',
      'script-src',
      'style-src',
      'img-src',
      'font-src',
      'connect-src',
      'manifest-src',
      'object-src',
      'base-uri',
      'form-action',
      'frame-ancestors',
      'upgrade-insecure-requests',
    ]);
  });

  it('carries report endpoints when given (report-uri for at once, report-to for the Reporting API), and refuses unsafe ones', () => {
    const policy = parseContentSecurityPolicy(
      buildContentSecurityPolicy({
        backends: staging.backends,
        additions: staging.csp,
        reporting: { path: '/telemetry/csp', group: 'csp' },
      }),
    )!;
    expect(policy.get('report-uri')).toEqual(['/telemetry/csp']);
    expect(policy.get('report-to')).toEqual(['csp']);
    expect(
      parseContentSecurityPolicy(
        buildContentSecurityPolicy({ backends: staging.backends, additions: staging.csp }),
      )!.has('report-uri'),
    ).toBe(false);
    expect(() =>
      buildContentSecurityPolicy({
        backends: staging.backends,
        additions: {},
        reporting: { path: 'https://evil.example.com/r', group: 'csp' },
      }),
    ).toThrow(/not a same-origin path. Fix:/);
    expect(() =>
      buildContentSecurityPolicy({
        backends: staging.backends,
        additions: {},
        reporting: { path: '/r; script-src *', group: 'csp' },
      }),
    ).toThrow(/not a same-origin path/);
    expect(() =>
      buildContentSecurityPolicy({
        backends: staging.backends,
        additions: {},
        reporting: { path: '/r', group: 'a b' },
      }),
    ).toThrow(/not a Reporting-Endpoints name/);
  });

  it("names the report-to group's endpoint in Reporting-Endpoints when reporting is given, and sends no such header otherwise", () => {
    expect(
      securityHeaderSet({ ...staging, cspReporting: { path: '/telemetry/csp', group: 'csp' } }).headers[
        'Reporting-Endpoints'
      ],
    ).toBe('csp="/telemetry/csp"');
    expect(Object.keys(securityHeaderSet(staging).headers)).not.toContain('Reporting-Endpoints');
  });

  it("keeps the default policy with report endpoints within CloudFront's length limit", () => {
    for (const config of [staging, production]) {
      const { headers } = securityHeaderSet({ ...config, cspReporting: { path: '/telemetry/csp', group: 'csp' } });
      expect(headers['Content-Security-Policy'].length).toBeLessThanOrEqual(CLOUDFRONT_CSP_MAX_LENGTH);
    }
  });

  it('adds each Google API the config enables, once', () => {
    const backends = {
      ...staging.backends,
      google: { apis: ['maps', 'places', 'calendar', 'calendar'] as never, signInWithPopup: false },
    };
    const sources = connectSources({ backends, additions: {} });
    expect(sources.filter((s) => s.includes('googleapis'))).toEqual([
      'https://maps.googleapis.com',
      'https://places.googleapis.com',
      'https://www.googleapis.com',
    ]);
  });

  it('switches between enforcing and report-only per environment', () => {
    expect(Object.keys(securityHeaderSet(staging).headers)).toContain('Content-Security-Policy');
    const reportOnly = securityHeaderSet({
      ...staging,
      site: { ...staging.site, contentSecurityPolicy: 'report-only' },
    });
    expect(reportOnly.contentSecurityPolicyHeader).toBe('Content-Security-Policy-Report-Only');
    expect(Object.keys(reportOnly.headers)).not.toContain('Content-Security-Policy');
  });

  it('refuses a policy longer than CloudFront accepts, saying how to fix it', () => {
    const images = Array.from({ length: 80 }, (_, i) => `https://images${i}.example.com`);
    expect(() => securityHeaderSet({ ...staging, csp: { ...staging.csp, 'img-src': images } })).toThrow(
      /CloudFront accepts at most 1783.*Fix: list fewer origins in csp/,
    );
  });

  it('accepts a policy of exactly the length CloudFront accepts, and refuses one character more', () => {
    const policyOf = (set: ReturnType<typeof securityHeaderSet>) => set.headers[set.contentSecurityPolicyHeader];
    const base = policyOf(securityHeaderSet(staging));
    // One more img-src source adds a space and the origin to the policy.
    const withPolicyLength = (length: number) => {
      const host = 'a'.repeat(length - base.length - ' https://.example'.length);
      return {
        ...staging,
        csp: { ...staging.csp, 'img-src': [...(staging.csp['img-src'] ?? []), `https://${host}.example`] },
      };
    };
    expect(policyOf(securityHeaderSet(withPolicyLength(CLOUDFRONT_CSP_MAX_LENGTH)))).toHaveLength(
      CLOUDFRONT_CSP_MAX_LENGTH,
    );
    expect(() => securityHeaderSet(withPolicyLength(CLOUDFRONT_CSP_MAX_LENGTH + 1))).toThrow(
      `the Content-Security-Policy is ${CLOUDFRONT_CSP_MAX_LENGTH + 1} characters`,
    );
  });

  it('relaxes the opener policy only when Google sign-in uses a popup', () => {
    expect(securityHeaderSet(staging).headers['Cross-Origin-Opener-Policy']).toBe('same-origin-allow-popups');
    const noPopup = {
      ...staging,
      backends: { ...staging.backends, google: { ...staging.backends.google, signInWithPopup: false } },
    };
    expect(securityHeaderSet(noPopup).headers['Cross-Origin-Opener-Policy']).toBe('same-origin');
  });
});
