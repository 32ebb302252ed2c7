/**
 * The provider HTTP helper against a local server: what it sends (accept, content type, JSON or form body), how it
 * reads answers (non-JSON is no body), and the exact errors on-call reads (status, timeout, refused connection,
 * refused redirect), which never carry a body.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { callProvider, callProviderOk, isSuccess, ProviderError } from '../../lambda/rotation/rotators/provider-http';
import { listenWithBody, LocalServer, refusedPort } from '../../tools/stand-ins/http';

interface Seen {
  readonly method?: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

let server: LocalServer;
let seen: Seen[];
let answer: (res: ServerResponse) => void;

beforeEach(async () => {
  seen = [];
  answer = (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  server = await listenWithBody((req, body, res) => {
    seen.push({ method: req.method, headers: req.headers, body });
    answer(res);
  });
});

afterEach(() => server.close());

describe('what callProvider sends', () => {
  it('a GET without a body: accept JSON, no content type, no body', async () => {
    await expect(callProvider('list', `${server.url}/x`, {})).resolves.toEqual({ status: 200, body: { ok: true } });
    expect(seen).toHaveLength(1);
    expect(seen[0].method).toBe('GET');
    expect(seen[0].headers.accept).toBe('application/json');
    expect(seen[0].headers['content-type']).toBeUndefined();
    expect(seen[0].body).toBe('');
  });

  it('a JSON body: application/json and the serialized body; caller headers are added', async () => {
    await callProvider('create', `${server.url}/x`, {
      method: 'POST',
      headers: { authorization: 'Bearer t' },
      body: { name: 'n', n: 1 },
    });
    expect(seen[0].method).toBe('POST');
    expect(seen[0].headers['content-type']).toBe('application/json');
    expect(seen[0].headers.authorization).toBe('Bearer t');
    expect(seen[0].body).toBe('{"name":"n","n":1}');
  });

  it('a form: application/x-www-form-urlencoded and the encoded fields', async () => {
    await callProvider('token', `${server.url}/x`, { method: 'POST', form: { grant_type: 'a b', x: '1&2' } });
    expect(seen[0].headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(seen[0].body).toBe('grant_type=a+b&x=1%262');
  });
});

describe('how callProvider reads answers', () => {
  it('a non-JSON or empty answer is no body, with its status', async () => {
    answer = (res) => res.writeHead(502, { 'content-type': 'text/html' }).end('<html>bad gateway</html>');
    await expect(callProvider('op', server.url, {})).resolves.toEqual({ status: 502, body: undefined });
    answer = (res) => res.writeHead(204).end();
    await expect(callProvider('op', server.url, {})).resolves.toEqual({ status: 204, body: undefined });
  });

  it('an answer cut off mid-body is no body, with its status', async () => {
    answer = (res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"partial":');
      setTimeout(() => res.destroy(), 20);
    };
    await expect(callProvider('op', server.url, {})).resolves.toEqual({ status: 200, body: undefined });
  });

  it.each([300, 302, 307, 399])('refuses a %i answer (a redirect) without following it', async (status) => {
    answer = (res) => res.writeHead(status, { location: `${server.url}/elsewhere` }).end();
    const error = await callProvider('list keys', server.url, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).message).toBe(
      `list keys failed with HTTP ${status}: the provider answered with a redirect, which is refused ` +
        '(credentials are sent only to the configured URL)',
    );
    expect(seen).toHaveLength(1);
  });

  it.each([299, 400])('returns a %i answer as it is', async (status) => {
    answer = (res) => res.writeHead(status, { 'content-type': 'application/json' }).end('[1]');
    await expect(callProvider('op', server.url, {})).resolves.toEqual({ status, body: [1] });
  });
});

describe('the errors on-call reads', () => {
  it('a provider that never answers: "<operation> failed: timed out"', async () => {
    answer = () => undefined;
    const error = await callProvider('prove a key', server.url, { timeoutMs: 50 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ name: 'ProviderError', operation: 'prove a key', status: undefined });
    expect((error as Error).message).toBe('prove a key failed: timed out');
  });

  it('nothing listening: "<operation> failed: could not connect"', async () => {
    const port = await refusedPort();
    await expect(callProvider('list keys', `http://127.0.0.1:${port}/`, {})).rejects.toThrow(
      /^list keys failed: could not connect$/,
    );
  });

  it.each([
    [200, { ok: true }],
    [299, { ok: true }],
  ])('callProviderOk returns the body of a %i', async (status, body) => {
    answer = (res) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    await expect(callProviderOk('op', server.url, {})).resolves.toEqual(body);
  });

  it.each([400, 404, 429, 500])('callProviderOk: a %i is "<operation> failed with HTTP <status>"', async (status) => {
    answer = (res) => res.writeHead(status, { 'content-type': 'application/json' }).end('{"message":"secret"}');
    const error = await callProviderOk('revoke a key', server.url, {}).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ProviderError', operation: 'revoke a key', status });
    expect((error as Error).message).toBe(`revoke a key failed with HTTP ${status}`);
  });

  it('ProviderError without a status or detail says only what failed', () => {
    expect(new ProviderError('op').message).toBe('op failed');
    expect(new ProviderError('op', 500).message).toBe('op failed with HTTP 500');
    expect(new ProviderError('op', undefined, 'why').message).toBe('op failed: why');
  });
});

it('a success is exactly a 2xx status', () => {
  expect([199, 200, 204, 299, 300, 404].map(isSuccess)).toEqual([false, true, true, true, false, false]);
});
