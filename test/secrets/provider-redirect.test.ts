/**
 * A provider URL that answers with a redirect to another origin (a misconfigured URL, or someone in between) must
 * not get the key sent on: the rotation step fails, the other origin receives nothing, AWSCURRENT keeps working.
 * Node's fetch would otherwise follow it, forwarding `apikey` / `x-goog-api-key` and, on 307, the body.
 */
import { Rotator, RotationStep, runRotationStep } from '../../lambda/rotation/engine';
import { googleApiKeyRotator } from '../../lambda/rotation/rotators/google-api-key';
import { supabaseSecretKeyRotator } from '../../lambda/rotation/rotators/supabase-secret-key';
import { jsonLogger } from '../../lambda/shared/log';
import { parseSecretValue } from '../../lambda/shared/secret-value';
import { FakeGoogle } from '../../tools/stand-ins/google';
import { FakeSecretsManager, oneAttemptClient } from '../../tools/stand-ins/secrets-manager';
import { FakeSupabase } from '../../tools/stand-ins/supabase';
import { listenWithBody as startLocalServer } from '../../tools/stand-ins/http';
import { SECRET_NAME } from './rotation-suite';

/** The other origin: records everything that reaches it. */
async function otherOrigin() {
  const received: Array<{ method?: string; url?: string; headers: Record<string, unknown>; body: string }> = [];
  const server = await startLocalServer((req, body, res) => {
    received.push({ method: req.method, url: req.url, headers: req.headers, body });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  return { ...server, received };
}

/** Answers every request with a redirect of the given status to the other origin, keeping the path. */
async function redirector(status: 302 | 307, to: string) {
  return startLocalServer((req, _body, res) => res.writeHead(status, { location: `${to}${req.url}` }).end());
}

async function rotateThrough(rotator: Rotator, initialSecretString: string) {
  const sm = new FakeSecretsManager();
  const endpoint = await sm.start();
  const client = oneAttemptClient(endpoint);
  sm.createSecret(SECRET_NAME, initialSecretString, async () => undefined);
  const token = sm.beginRotation(SECRET_NAME);
  const errors: string[] = [];
  try {
    for (const Step of ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as RotationStep[]) {
      try {
        await runRotationStep(
          { Step, SecretId: SECRET_NAME, ClientRequestToken: token },
          { sm: client, rotator, log: jsonLogger({}, () => undefined) },
        );
      } catch (error) {
        errors.push(`${Step}: ${(error as Error).message}`);
        break;
      }
    }
    return { errors, current: parseSecretValue(sm.valueAt(SECRET_NAME, 'AWSCURRENT'), 'AWSCURRENT').value };
  } finally {
    client.destroy();
    await sm.stop();
  }
}

describe.each([302, 307] as const)('a provider answering with a cross-origin %s redirect', (status) => {
  it.each([
    ['the project URL (key test: apikey header)', 'projectUrl', /^testSecret: .*redirect, which is refused/],
    ['the Management API (token and body)', 'managementApiUrl', /^createSecret: .*redirect, which is refused/],
  ] as const)(
    'Supabase, %s: the step fails, nothing reaches the other origin, AWSCURRENT still works',
    async (_what, redirected, failure) => {
      const supabase = new FakeSupabase();
      const url = await supabase.start();
      const other = await otherOrigin();
      const redirect = await redirector(status, other.url);
      const initial = supabase.addKey('set_out_of_band');
      try {
        const urls = { managementApiUrl: url, projectUrl: url, [redirected]: redirect.url };
        const rotator = supabaseSecretKeyRotator({
          ...urls,
          projectRef: supabase.projectRef,
          managementToken: async () => supabase.managementToken,
          timeoutMs: 2_000,
        });
        const { errors, current } = await rotateThrough(rotator, JSON.stringify(initial));
        expect(errors).toEqual([expect.stringMatching(failure)]);
        expect(errors[0]).toContain(`HTTP ${status}`);
        expect(other.received).toEqual([]);
        expect(current).toBe(initial.value);
        expect(supabase.accepts(current)).toBe(true);
      } finally {
        await Promise.all([redirect.close(), other.close(), supabase.stop()]);
      }
    },
  );

  it('Google: the key test fails, x-goog-api-key never reaches the other origin, AWSCURRENT still works', async () => {
    const google = new FakeGoogle();
    const url = await google.start();
    const other = await otherOrigin();
    const redirect = await redirector(status, other.url);
    const restrictions = {
      apiTargets: [{ service: 'calendar-json.googleapis.com' }],
      browserKeyRestrictions: { allowedReferrers: ['https://app.miko.example.com/*'] },
    };
    const initial = google.addKey('set-out-of-band', restrictions);
    try {
      const rotator = googleApiKeyRotator({
        cloudProject: google.project,
        serviceAccountKey: async () => google.serviceAccountKey(),
        apiKeysUrl: url,
        testUrl: `${redirect.url}/calendar/v3/calendars/holidays/events?maxResults=1`,
        testReferer: 'https://app.miko.example.com/',
        timeoutMs: 2_000,
        pollIntervalMs: 5,
      });
      const { errors, current } = await rotateThrough(rotator, JSON.stringify(initial));
      expect(errors).toEqual([expect.stringMatching(/^testSecret: .*redirect, which is refused/)]);
      expect(other.received).toEqual([]);
      expect(current).toBe(initial.value);
      expect(google.accepts(current, 'https://app.miko.example.com/')).toBe(true);
    } finally {
      await Promise.all([redirect.close(), other.close(), google.stop()]);
    }
  });
});

describe('keys only in headers', () => {
  it('the Google key test sends the key as x-goog-api-key, never in the URL', async () => {
    const seen: Array<{ url?: string; key?: unknown }> = [];
    const server = await startLocalServer((req, _body, res) => {
      seen.push({ url: req.url, key: req.headers['x-goog-api-key'] });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    try {
      const rotator = googleApiKeyRotator({
        cloudProject: 'p',
        serviceAccountKey: async () => '{}',
        testUrl: `${server.url}/calendar/v3/x?maxResults=1`,
        testReferer: 'https://app.miko.example.com/',
      });
      const pendingKey = ['pending', 'key', 'value'].join('-');
      await rotator.test({ value: pendingKey, keyId: 'k' });
      expect(seen).toEqual([{ url: '/calendar/v3/x?maxResults=1', key: pendingKey }]);
    } finally {
      await server.close();
    }
  });
});
