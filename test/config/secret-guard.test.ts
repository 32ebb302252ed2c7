import { findSecretLookingValues } from '../../lib/config/secret-guard';

const jwt = (payload: object) =>
  [
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9',
    Buffer.from(JSON.stringify(payload)).toString('base64url'),
    'c2lnbmF0dXJlLXBsYWNlaG9sZGVy',
  ].join('.');

describe('secret guard for the public runtime config', () => {
  it('passes public-by-design values, including the anon JWT', () => {
    expect(
      findSecretLookingValues({
        supabaseAnonKey: jwt({ role: 'anon', iss: 'supabase' }),
        googleClientId: '1234-abc.apps.googleusercontent.com',
        features: { analytics: true },
      }),
    ).toEqual([]);
  });

  it.each([
    ['a service-role JWT', { key: jwt({ role: 'service_role' }) }, 'key', /service-role/],
    ['an sb_secret_ key', { key: 'sb_secret_' + 'a'.repeat(30) }, 'key', /sb_secret_/],
    ['a private key', { nested: { pem: '-----BEGIN RSA PRIVATE KEY-----\nabc' } }, 'nested.pem', /private key/],
    ['a Google API key', { maps: 'AIza' + 'b'.repeat(35) }, 'maps', /Google API key/],
    ['a secret-sounding key name', { n8nWebhookSecret: 'whatever' }, 'n8nWebhookSecret', /name "n8nWebhookSecret"/],
    ['a token key name', { supabase: { accessToken: 'x' } }, 'supabase.accessToken', /name "accessToken"/],
  ])('refuses %s and names where it is', (_label, value, path, reason) => {
    const findings = findSecretLookingValues(value);
    expect(findings).toHaveLength(1);
    expect(findings[0].path).toBe(path);
    expect(findings[0].reason).toMatch(reason);
  });
});
