/**
 * The secret guard over build files: whole credentials are found with their line, words are not (supabase-js
 * mentions sb_secret_ and service_role in its own code), and a public Google key passes only when declared.
 * Credential-shaped values are built at run time, never written as literals.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findSecretsInText } from '../../lib/config/secret-guard';
import { listFiles } from '../../lib/site/release-content';
import { FIXTURE_APP_DIST } from '../fixtures/real-app/sources';

const jwt = (payload: object) =>
  [
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9',
    Buffer.from(JSON.stringify(payload)).toString('base64url'),
    'c2lnbmF0dXJlLXBsYWNlaG9sZGVy',
  ].join('.');
const sbSecret = 'sb_' + 'secret_' + 'Zx81kLmQ0pRt7VwY2bNc4dFg';
const googleKey = 'AI' + 'za' + 'SyB1c2VyLXN1cHBsaWVkLWtleS1mb3ItdGV'.slice(0, 35);
const privateKey = '-----BEGIN ' + 'PRIVATE KEY-----\nMIIE';
const awsKey = 'AK' + 'IA' + 'ABCDEFGHIJKLMNOP';

describe('the secret guard over build files', () => {
  it.each([
    ['an sb_secret_ key', `const k="${sbSecret}";`, /Supabase secret API key/],
    ['a service-role JWT', `headers:{apikey:"${jwt({ role: 'service_role', iss: 'supabase' })}"}`, /service-role JWT/],
    ["a signed-in user's JWT", `t="${jwt({ role: 'authenticated' })}"`, /JWT with role "authenticated"/],
    ['a private key', `var pem=\`${privateKey}\``, /private key/],
    ['an AWS access key id', `aws:{id:"${awsKey}"}`, /AWS access key id/],
    ['a Google API key', `maps("${googleKey}")`, /Google API key.*not declared public/],
    ['a token-named assignment', 'const apiToken = "f3a9c0d1e2b3a4f5c6d7e8";', /assigned to "apiToken"/],
    ['a client secret in JSON', '{"client_secret":"GOCSPX-4bc9Xd2Lq0"}', /assigned to "client_secret"/],
  ])('finds %s, with its line and without the value', (_what, code, reason) => {
    const findings = findSecretsInText(`// line 1\n// line 2\n${code}\n`);
    expect(findings).toEqual([{ line: 3, reason: expect.stringMatching(reason) }]);
    expect(JSON.stringify(findings)).not.toContain(code.slice(8, 20));
  });

  it('passes the public anon JWT and words that only name secrets', () => {
    const code = [
      `const anon="${jwt({ role: 'anon', iss: 'supabase' })}";`,
      'e.startsWith(`sb_secret_`)',
      '/** Never expose your `service_role` key in the browser. */',
      'password:"Password"',
      'storageKey:"sb-auth-token"',
      'access_token:e.access_token',
      'refreshToken:"/auth/v1/token"',
    ].join('\n');
    expect(findSecretsInText(code)).toEqual([]);
  });

  it('passes a Google key declared public by its SHA-256, and only that exact key', () => {
    const sha256 = createHash('sha256').update(googleKey).digest('hex');
    expect(findSecretsInText(`k="${googleKey}"`, { publicGoogleApiKeySha256s: [sha256] })).toEqual([]);
    const other = googleKey.slice(0, -1) + 'X';
    expect(findSecretsInText(`k="${other}"`, { publicGoogleApiKeySha256s: [sha256] })).toHaveLength(1);
  });

  it('finds nothing in a real Vite build of React, Radix, sonner, Sentry with Replay and supabase-js, source maps included', () => {
    const files = listFiles(FIXTURE_APP_DIST);
    expect(files.some((f) => f.endsWith('.js.map'))).toBe(true);
    const text = files.map((f) => readFileSync(join(FIXTURE_APP_DIST, f), 'utf8')).join('\n');
    expect(text).toContain('sb_secret_');
    expect(text).toContain('service_role');
    for (const file of files)
      expect({ file, findings: findSecretsInText(readFileSync(join(FIXTURE_APP_DIST, file), 'utf8')) }).toEqual({
        file,
        findings: [],
      });
  });
});
