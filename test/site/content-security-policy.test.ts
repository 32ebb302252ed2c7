import { committedConfig } from '../../lib/config';
import { buildContentSecurityPolicy, connectSources } from '../../lib/site/content-security-policy';
import { parseContentSecurityPolicy } from '../support/csp';
import { securityHeaderSet } from '../../lib/site/security-header-values';

const { staging, production } = committedConfig;
const policyOf = (config: typeof staging) => parseContentSecurityPolicy(buildContentSecurityPolicy({ backends: config.backends, contentSources: config.site.contentSources }))!;

describe('the Content-Security-Policy built from config', () => {
  it.each([['staging', staging], ['production', production]] as const)('%s: connect-src lists exactly its backends', (_name, config) => {
    const ref = new URL(config.backends.supabase.projectUrl).host;
    expect(policyOf(config).get('connect-src')).toEqual([
      "'self'",
      `https://${ref}`,
      `wss://${ref}`,
      new URL(config.backends.n8n.webhookUrl).origin,
      'https://www.googleapis.com',
      'https://oauth2.googleapis.com',
      new URL(config.backends.sentry.dsn).origin,
    ]);
  });

  it('never allows inline or eval script, and locks down everything else', () => {
    for (const config of [staging, production]) {
      const policy = policyOf(config);
      expect(policy.get('default-src')).toEqual(["'none'"]);
      expect(policy.get('script-src')).toEqual(["'self'"]);
      expect(policy.get('object-src')).toEqual(["'none'"]);
      expect(policy.get('base-uri')).toEqual(["'none'"]);
      expect(policy.get('form-action')).toEqual(["'self'"]);
      expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
      expect(policy.get('upgrade-insecure-requests')).toEqual([]);
      expect([...policy.values()].flat()).not.toEqual(expect.arrayContaining(["'unsafe-inline'"]));
      expect([...policy.values()].flat()).not.toEqual(expect.arrayContaining(["'unsafe-eval'"]));
    }
  });

  it('never puts the Sentry DSN public key or a webhook path into the policy', () => {
    const header = buildContentSecurityPolicy({ backends: production.backends, contentSources: production.site.contentSources });
    expect(header).not.toContain('publickey');
    expect(header).not.toContain('/webhook/');
  });

  it('opens images, fonts and styles only from origins the config names', () => {
    const policy = policyOf({ ...staging, site: { ...staging.site, contentSources: { images: ['https://maps.gstatic.com'], fonts: ['https://fonts.gstatic.com'], styles: [] } } });
    expect(policy.get('img-src')).toEqual(["'self'", 'https://maps.gstatic.com']);
    expect(policy.get('font-src')).toEqual(["'self'", 'https://fonts.gstatic.com']);
    expect(policy.get('style-src')).toEqual(["'self'"]);
  });

  it('adds each Google API the config enables, once', () => {
    const backends = { ...staging.backends, google: { apis: ['maps', 'places', 'calendar', 'calendar'] as never, signInWithPopup: false } };
    const sources = connectSources({ backends, contentSources: staging.site.contentSources });
    expect(sources.filter((s) => s.includes('googleapis'))).toEqual(['https://maps.googleapis.com', 'https://places.googleapis.com', 'https://www.googleapis.com']);
  });

  it('switches between enforcing and report-only per environment', () => {
    expect(Object.keys(securityHeaderSet(staging).headers)).toContain('Content-Security-Policy');
    const reportOnly = securityHeaderSet({ ...staging, site: { ...staging.site, contentSecurityPolicy: 'report-only' } });
    expect(reportOnly.contentSecurityPolicyHeader).toBe('Content-Security-Policy-Report-Only');
    expect(Object.keys(reportOnly.headers)).not.toContain('Content-Security-Policy');
  });

  it('refuses a policy longer than CloudFront accepts, saying how to fix it', () => {
    const images = Array.from({ length: 80 }, (_, i) => `https://images${i}.example.com`);
    expect(() => securityHeaderSet({ ...staging, site: { ...staging.site, contentSources: { ...staging.site.contentSources, images } } }))
      .toThrow(/CloudFront accepts at most 1783.*Fix: list fewer origins/);
  });

  it('relaxes the opener policy only when Google sign-in uses a popup', () => {
    expect(securityHeaderSet(staging).headers['Cross-Origin-Opener-Policy']).toBe('same-origin-allow-popups');
    const noPopup = { ...staging, backends: { ...staging.backends, google: { ...staging.backends.google, signInWithPopup: false } } };
    expect(securityHeaderSet(noPopup).headers['Cross-Origin-Opener-Policy']).toBe('same-origin');
  });
});

describe('site.contentSources in config', () => {
  it('accepts only bare https origins, saying how to fix anything else', () => {
    const { validateAppConfig } = jest.requireActual('../../lib/config') as typeof import('../../lib/config');
    const bad = structuredClone(committedConfig) as any;
    bad.production.site.contentSources.images = ['https://maps.gstatic.com/path', 'http://insecure.example.com'];
    let message = '';
    try { validateAppConfig(bad); } catch (error) { message = (error as Error).message; }
    expect(message).toMatch(/production\.site\.contentSources\.images\.0: "https:\/\/maps\.gstatic\.com\/path" is not an https origin \(image origin\)\. Fix:/);
    expect(message).toMatch(/production\.site\.contentSources\.images\.1: "http:\/\/insecure\.example\.com" is not an https origin/);
  });
});
