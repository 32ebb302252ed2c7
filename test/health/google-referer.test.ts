/**
 * The google-calendar check as the Health stack configures it, through the real handler, against the local Google
 * stand-in: a key restricted to the site's referrers passes only because the check sends the site's origin.
 */
import type { CheckSpec } from '../../lambda/health/checks';
import type { LambdaFunctionURLResult } from '../../lambda/health/types';
import { loadAppConfig } from '../../lib/config';
import { DUMMY_AWS_ENV } from '../../tools/stand-ins/aws-endpoints';
import { FakeSecretsManager } from '../../tools/stand-ins/secrets-manager';
import { FakeGoogle } from '../../tools/stand-ins/google';
import { healthTemplate } from '../support/one-stack';

const domain = loadAppConfig().production.domain.name;
const google = new FakeGoogle();
const secretsManager = new FakeSecretsManager();
let synthesized: CheckSpec;
const savedEnv = { ...process.env };

/** The check exactly as HealthStack hands it to the Lambda, pointed at the stand-in. */
function calendarCheck(): CheckSpec {
  const url = new URL(synthesized.url);
  return { ...synthesized, url: `${google.url}${url.pathname}` };
}

async function apis(check: CheckSpec): Promise<{ result: LambdaFunctionURLResult; body: any }> {
  process.env.MIKO_HEALTH_SETTINGS = JSON.stringify({ deadlineMs: 2000, checks: [check] });
  let handler!: (event: { rawPath: string }) => Promise<LambdaFunctionURLResult>;
  jest.isolateModules(() => {
    handler = require('../../lambda/health/handler').handler;
  });
  const result = await handler({ rawPath: '/health/apis' });
  return { result, body: JSON.parse(result.body) };
}

beforeAll(async () => {
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  const fn = Object.values<any>(healthTemplate('production').findResources('AWS::Lambda::Function')).find(
    (f) => f.Properties.Environment?.Variables?.MIKO_HEALTH_SETTINGS,
  );
  const settings = JSON.parse(fn.Properties.Environment.Variables.MIKO_HEALTH_SETTINGS);
  synthesized = settings.checks.find((c: CheckSpec) => c.name === 'google-calendar');
  await google.start();
  const key = google.addKey('calendar', { browserKeyRestrictions: { allowedReferrers: [`https://${domain}/*`] } });
  secretsManager.createSecret(synthesized.auth!.secretName, JSON.stringify({ value: key.value }));
  Object.assign(process.env, DUMMY_AWS_ENV, { AWS_ENDPOINT_URL_SECRETS_MANAGER: await secretsManager.start() });
});

afterAll(async () => {
  await google.stop();
  await secretsManager.stop();
  process.env = savedEnv;
});

it("the synthesized check sends the site's origin as Referer", () => {
  expect(synthesized.referer).toBe(`https://${domain}/`);
  expect(synthesized.auth).toMatchObject({ header: 'X-Goog-Api-Key', secretName: 'miko/production/google-api-key' });
});

it('passes against a key restricted to the site, so /health/apis reads healthy', async () => {
  const { result, body } = await apis(calendarCheck());
  expect(result.statusCode).toBe(200);
  expect(body.status).toBe('healthy');
  expect(body.checks['google-calendar'].status).toBe('pass');
});

it('without the Referer (the old check) the same key is refused, and /health/apis reads degraded', async () => {
  const { referer: _dropped, ...withoutReferer } = calendarCheck();
  const { result, body } = await apis(withoutReferer);
  expect(result.statusCode).toBe(200);
  expect(body.status).toBe('degraded');
  expect(body.checks['google-calendar'].status).toBe('fail');
});

it.each([
  ['no Referer', undefined, 'Requests from referer <empty> are blocked.'],
  ['another site', 'https://evil.example/', 'Requests from referer https://evil.example/ are blocked.'],
])('the stand-in refuses %s as Google does: 403 API_KEY_HTTP_REFERRER_BLOCKED', async (_, referer, message) => {
  const check = calendarCheck();
  const [key] = google.mintedValues();
  const response = await fetch(check.url, {
    headers: { 'x-goog-api-key': key, ...(referer ? { referer } : {}) },
  });
  expect(response.status).toBe(403);
  const { error } = await response.json();
  expect(error).toMatchObject({ code: 403, status: 'PERMISSION_DENIED', message });
  expect(error.details[0]).toMatchObject({
    '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
    reason: 'API_KEY_HTTP_REFERRER_BLOCKED',
  });
});
