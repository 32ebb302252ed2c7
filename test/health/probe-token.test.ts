/**
 * /health stays public; /health/db and /health/apis answer only the prober's token (AWSCURRENT, or AWSPREVIOUS
 * right after a rotation), read from the Secrets Manager stand-in through the real SDK. Anyone else gets the
 * same 404 as an unknown path. And the prober sends the token on those two paths only.
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ROTATION_STEPS, runRotationStep } from '../../lambda/rotation/engine';
import { generatedRotator } from '../../lambda/rotation/rotators/generated';
import { jsonLogger } from '../../lambda/shared/log';
import { parseSecretValue } from '../../lambda/shared/secret-value';
import { runWindow } from '../../lambda/prober/run';
import { FakeSecretsManager } from '../../tools/stand-ins/secrets-manager';
import { listenWithBody as startLocalServer } from '../../tools/stand-ins/http';

const TOKEN_SECRET = 'miko/test/prober-health-token';

describe('the deep health paths answer the prober only', () => {
  const saved = { ...process.env };
  let fake: FakeSecretsManager;
  let handler: typeof import('../../lambda/health/handler').handler;

  beforeAll(async () => {
    fake = new FakeSecretsManager();
    const endpoint = await fake.start();
    fake.createSecret(
      TOKEN_SECRET,
      JSON.stringify({ value: ['first', 'token', 'value'].join('-') }),
      async () => undefined,
    );
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      MIKO_HEALTH_SETTINGS: JSON.stringify({ deadlineMs: 1000, checks: [], probeToken: { secretName: TOKEN_SECRET } }),
    });
    // The handler reads its settings and makes its clients when loaded, as in Lambda.
    jest.isolateModules(() => {
      handler = require('../../lambda/health/handler').handler;
    });
  });
  afterAll(async () => {
    process.env = saved;
    await fake.stop();
  });

  const current = () => parseSecretValue(fake.valueAt(TOKEN_SECRET, 'AWSCURRENT'), 'current').value;
  const call = (rawPath: string, token?: string) =>
    handler({ rawPath, headers: token === undefined ? {} : { 'x-miko-probe-token': token } });

  it('keeps /health public', async () => {
    expect((await call('/health')).statusCode).toBe(200);
  });

  it.each(['/health/db', '/health/apis'])(
    'answers %s with 404 without the token or with a wrong one, and with the report for the prober',
    async (path) => {
      expect((await call(path)).statusCode).toBe(404);
      expect((await call(path, 'guess')).statusCode).toBe(404);
      expect((await call(path, `${current()}x`)).statusCode).toBe(404);
      const answer = await call(path, current());
      expect(answer.statusCode).toBe(200);
      expect(JSON.parse(answer.body)).toMatchObject({ status: 'healthy' });
      expect((await call(path)).body).toBe(JSON.stringify({ status: 'not-found' }));
    },
  );

  it('still admits the previous token after a rotation (a prober that cached it), a fresh handler admits the new one', async () => {
    const before = current();
    const sm = new SecretsManagerClient({ region: 'us-east-1', maxAttempts: 1 });
    const token = fake.beginRotation(TOKEN_SECRET);
    for (const Step of ROTATION_STEPS)
      await runRotationStep(
        { Step, SecretId: TOKEN_SECRET, ClientRequestToken: token },
        { sm, rotator: generatedRotator(sm), log: jsonLogger({}, () => undefined) },
      );
    sm.destroy();
    expect(current()).not.toBe(before);
    let fresh!: typeof handler;
    jest.isolateModules(() => {
      fresh = require('../../lambda/health/handler').handler;
    });
    expect((await fresh({ rawPath: '/health/db', headers: { 'x-miko-probe-token': before } })).statusCode).toBe(200);
    expect((await fresh({ rawPath: '/health/db', headers: { 'x-miko-probe-token': current() } })).statusCode).toBe(200);
    expect((await fresh({ rawPath: '/health/db', headers: { 'x-miko-probe-token': 'older' } })).statusCode).toBe(404);
  });

  it('answers 503, not a crash and not the report, when the token cannot be read', async () => {
    const endpoint = process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER;
    process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = 'http://127.0.0.1:9';
    let fresh!: typeof handler;
    jest.isolateModules(() => {
      fresh = require('../../lambda/health/handler').handler;
    });
    try {
      const answer = await fresh({ rawPath: '/health/db', headers: { 'x-miko-probe-token': current() } });
      expect(answer).toMatchObject({ statusCode: 503, body: JSON.stringify({ status: 'unavailable' }) });
      expect((await fresh({ rawPath: '/health' })).statusCode).toBe(200);
    } finally {
      process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = endpoint;
    }
  });
});

describe('the prober sends its token on the deep paths only', () => {
  it('to /health/db and /health/apis, not to /, the asset or /health', async () => {
    const seen: Array<[string, unknown]> = [];
    const site = await startLocalServer((req, _body, res) => {
      seen.push([req.url!, req.headers['x-miko-probe-token']]);
      const html = '<script type="module" src="/assets/index-abc.js"></script><meta name="miko-build" content="x">';
      res
        .writeHead(200, { 'content-type': req.url === '/' ? 'text/html' : 'application/json' })
        .end(req.url === '/' ? html : JSON.stringify({ status: 'healthy', checks: {} }));
    });
    const cloudWatch = { send: async () => ({}) } as any;
    const token = ['probe', 'token'].join('-');
    try {
      // One 60 s slot: every target is due.
      await runWindow({ environment: 'test', siteUrl: site.url, slotMs: 60_000, windowMs: 1, timeoutMs: 1000 }, 0, {
        cloudWatch,
        now: () => 0,
        log: () => undefined,
        probeToken: async () => token,
      });
    } finally {
      await site.close();
    }
    const byPath = Object.fromEntries(seen.map(([url, t]) => [url, t]));
    expect(byPath['/health/db']).toBe(token);
    expect(byPath['/health/apis']).toBe(token);
    expect(byPath['/health']).toBeUndefined();
    expect(byPath['/']).toBeUndefined();
  });
});
