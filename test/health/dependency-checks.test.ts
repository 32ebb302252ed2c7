/**
 * `/health/db` and `/health/apis` through the real handler, against real dependencies on 127.0.0.1 and a local
 * Secrets Manager stand-in: right status code every time, every check bounded by its timeout, and nothing of an
 * upstream body, error or credential in the answer.
 */
import { createServer as createNetServer } from 'node:net';
import type { CheckSpec } from '../../lambda/health/checks';
import type { LambdaFunctionURLResult } from '../../lambda/health/types';
import { DUMMY_AWS_ENV, LocalServer, refusedPort, startLocalServer } from '../../tools/stand-ins/aws-endpoints';
import { FakeSecretsManager } from '../../tools/stand-ins/secrets-manager';

const SECRET = 'sb_secret_TOP-SECRET-VALUE-1234';
const UPSTREAM_TEXT = 'UPSTREAM-INTERNAL-DETAIL stack trace at db.example';
const SECRET_NAME = 'miko/staging/supabase-secret-key';

let dependency: LocalServer;
const secretsManager = new FakeSecretsManager();
let garbage: { port: number; close: () => void };
let refused: number;
let handler: (event: { rawPath: string; headers?: Record<string, string> }) => Promise<LambdaFunctionURLResult>;
const savedEnv = { ...process.env };

/** Checks by name; each test configures the handler through the env variable HealthStack sets. */
function check(name: string, path: string, overrides: Partial<CheckSpec> = {}): CheckSpec {
  return {
    name,
    group: 'db',
    url: `${dependency.url}${path}`,
    method: 'GET',
    expectedStatus: 200,
    timeoutMs: 400,
    critical: true,
    ...overrides,
  };
}

async function call(checks: CheckSpec[], deadlineMs = 1500, path = '/health/db') {
  process.env.MIKO_HEALTH_SETTINGS = JSON.stringify({ deadlineMs, checks });
  let result!: LambdaFunctionURLResult;
  // A fresh module per call: settings are read at cold start, like a new Lambda execution environment.
  jest.isolateModules(() => {
    handler = require('../../lambda/health/handler').handler;
  });
  const started = performance.now();
  result = await handler({ rawPath: path, headers: { 'x-miko-release': 'r-42' } });
  return { result, body: JSON.parse(result.body), elapsedMs: performance.now() - started };
}

function expectNothingLeaked(result: LambdaFunctionURLResult): void {
  expect(result.body).not.toContain(SECRET);
  expect(result.body).not.toContain('UPSTREAM-INTERNAL');
  expect(result.body).not.toMatch(/ECONNREFUSED|ENOTFOUND|fetch failed|abort/i);
  expect(result.headers['cache-control']).toBe('no-store');
}

const logged: string[] = [];

beforeAll(async () => {
  jest.spyOn(console, 'log').mockImplementation((line: string) => void logged.push(line));
  Object.assign(process.env, DUMMY_AWS_ENV);
  dependency = await startLocalServer((req, res) => {
    const path = req.url ?? '/';
    if (path === '/ok') {
      res.writeHead(req.headers.apikey === SECRET ? 200 : 401).end('{"ok":true}');
    } else if (path === '/open') res.writeHead(200).end('ok');
    else if (path === '/slow') setTimeout(() => res.writeHead(200).end('late but fine'), 300);
    else if (path === '/hung') {
      /* never answers */
    } else if (path === '/error') res.writeHead(500, { 'content-type': 'text/plain' }).end(UPSTREAM_TEXT);
    else if (path === '/not-json')
      res.writeHead(200, { 'content-type': 'application/json' }).end(`{{{ ${UPSTREAM_TEXT}`);
    else res.writeHead(404).end();
  });
  // Something that is not HTTP at all: the answer cannot even be parsed.
  const raw = createNetServer((socket) => socket.end(`GARBAGE ${UPSTREAM_TEXT}\r\n\r\n`));
  await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
  garbage = { port: (raw.address() as { port: number }).port, close: () => raw.close() };
  refused = await refusedPort();
  secretsManager.createSecret(SECRET_NAME, SECRET);
  secretsManager.createSecret('miko/staging/json-secret', JSON.stringify({ key: SECRET }));
  process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = await secretsManager.start();
});

afterAll(async () => {
  // The handler's log lines are as safe to read as its answers.
  expect(logged.length).toBeGreaterThan(0);
  for (const line of logged) expect(line).not.toMatch(new RegExp(`${SECRET}|UPSTREAM-INTERNAL`));
  await dependency.close();
  await secretsManager.stop();
  garbage.close();
  process.env = savedEnv;
});

const auth = { secretName: SECRET_NAME, header: 'apikey', format: '{secret}' };

describe('/health/db and /health/apis against local dependencies', () => {
  it('answers 200 healthy with the credential sent as configured, and never echoes it', async () => {
    const { result, body } = await call([check('supabase-rest', '/ok', { auth })]);
    expect(result.statusCode).toBe(200);
    expect(body).toEqual({
      status: 'healthy',
      release: 'r-42',
      checks: { 'supabase-rest': { status: 'pass', latencyMs: expect.any(Number) } },
    });
    expectNothingLeaked(result);
  });

  it('reads one field of a JSON secret', async () => {
    const { body } = await call([
      check('json', '/ok', { auth: { ...auth, secretName: 'miko/staging/json-secret', jsonField: 'key' } }),
    ]);
    expect(body.checks.json.status).toBe('pass');
  });

  it('passes a slow dependency that answers within its timeout, reporting its latency', async () => {
    const { result, body } = await call([check('slow', '/slow', { timeoutMs: 2000 })]);
    expect(result.statusCode).toBe(200);
    expect(body.checks.slow).toEqual({ status: 'pass', latencyMs: expect.any(Number) });
    expect(body.checks.slow.latencyMs).toBeGreaterThanOrEqual(290);
  });

  it('cuts a hung dependency off at its own timeout and answers 503', async () => {
    const { result, body, elapsedMs } = await call([check('hung', '/hung', { timeoutMs: 300 })], 5000);
    expect(result.statusCode).toBe(503);
    expect(body).toMatchObject({ status: 'unhealthy', checks: { hung: { status: 'timeout' } } });
    expect(elapsedMs).toBeLessThan(1500); // far below the 9 s a hung check would otherwise take; slack for a loaded machine
    expectNothingLeaked(result);
  });

  it('bounds every check by the overall deadline, even with long per-check timeouts', async () => {
    const { result, body, elapsedMs } = await call(
      [check('a', '/hung', { timeoutMs: 9000 }), check('b', '/hung', { timeoutMs: 9000 })],
      300,
    );
    expect(result.statusCode).toBe(503);
    expect(body.checks).toEqual({
      a: { status: 'timeout', latencyMs: expect.any(Number) },
      b: { status: 'timeout', latencyMs: expect.any(Number) },
    });
    expect(elapsedMs).toBeLessThan(1500); // far below the 9 s a hung check would otherwise take; slack for a loaded machine
  });

  it('runs checks in parallel: three slow checks take about as long as one', async () => {
    const { elapsedMs } = await call([
      check('s1', '/slow', { timeoutMs: 2000 }),
      check('s2', '/slow', { timeoutMs: 2000 }),
      check('s3', '/slow', { timeoutMs: 2000 }),
    ]);
    expect(elapsedMs).toBeLessThan(800); // in sequence they would take 900 ms
  });

  it('fails a dependency answering 500 without echoing its body', async () => {
    const { result, body } = await call([check('error', '/error')]);
    expect(result.statusCode).toBe(503);
    expect(body.checks.error.status).toBe('fail');
    expectNothingLeaked(result);
  });

  it('judges by status code only, so a malformed JSON body is never parsed or echoed', async () => {
    const { result, body } = await call([check('not-json', '/not-json')]);
    expect(result.statusCode).toBe(200);
    expect(body.checks['not-json'].status).toBe('pass');
    expectNothingLeaked(result);
  });

  it('fails a dependency whose answer is not HTTP at all', async () => {
    const { result, body } = await call([check('garbage', '/', { url: `http://127.0.0.1:${garbage.port}/` })]);
    expect(result.statusCode).toBe(503);
    expect(body.checks.garbage.status).toBe('fail');
    expectNothingLeaked(result);
  });

  it('fails on connection refused', async () => {
    const { result, body } = await call([check('refused', '/', { url: `http://127.0.0.1:${refused}/` })]);
    expect(result.statusCode).toBe(503);
    expect(body.checks.refused.status).toBe('fail');
    expectNothingLeaked(result);
  });

  it('fails (or times out) on a host that never resolves', async () => {
    const { result, body, elapsedMs } = await call([
      check('unknown', '/', { url: 'http://dependency.miko.invalid/', timeoutMs: 500 }),
    ]);
    expect(result.statusCode).toBe(503);
    expect(['fail', 'timeout']).toContain(body.checks.unknown.status);
    expect(elapsedMs).toBeLessThan(2000);
    expectNothingLeaked(result);
  });

  it('answers 200 degraded when only a non-critical check fails', async () => {
    const { result, body } = await call(
      [check('core', '/open'), check('extra', '/error', { critical: false })],
      1500,
      '/health/db',
    );
    expect(result.statusCode).toBe(200);
    expect(body.status).toBe('degraded');
  });

  it('serves each group on its own path', async () => {
    const { body } = await call(
      [check('db-one', '/open'), check('api-one', '/error', { group: 'apis' })],
      1500,
      '/health/apis',
    );
    expect(Object.keys(body.checks)).toEqual(['api-one']);
    expect(body.status).toBe('unhealthy');
  });

  it('fails a check whose secret cannot be read, without calling the dependency unauthenticated', async () => {
    const { result, body } = await call([
      check('no-secret', '/ok', { auth: { ...auth, secretName: 'miko/staging/missing' } }),
    ]);
    expect(result.statusCode).toBe(503);
    expect(body.checks['no-secret'].status).toBe('fail');
    expect(result.body).not.toMatch(/ResourceNotFound|can't find/);
  });
});

describe('secret caching', () => {
  it('reads a secret once for many requests, not per request', async () => {
    process.env.MIKO_HEALTH_SETTINGS = JSON.stringify({
      deadlineMs: 1500,
      checks: [check('supabase-rest', '/ok', { auth })],
    });
    jest.isolateModules(() => {
      handler = require('../../lambda/health/handler').handler;
    });
    const reads = () => secretsManager.calls.filter((operation) => operation === 'GetSecretValue').length;
    const before = reads();
    for (let i = 0; i < 5; i++) expect((await handler({ rawPath: '/health/db' })).statusCode).toBe(200);
    expect(reads() - before).toBe(1);
  });
});
