/**
 * Supabase's Management API key endpoints and a project's API, on 127.0.0.1. Keys are minted here; a revoked key
 * gets 401. `failNext` plays a 500, a hang, a rejected key or a 429; `outage` a longer one (slow, 503 or dropped
 * connections). The health RPC and auth health answer any live key.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { FailureMode, listen, LocalServer, Outage, playOutage, readBody, sendJson } from './http';

export type SupabaseOperation = 'list' | 'create' | 'revoke' | 'prove' | 'health';
/**
 * Beyond the shared modes: `malformed` answers 200 with something else than the operation's shape (an object for a
 * list, a key without its value for a create); `gone` revokes the key and answers 404, as when another run revoked
 * it between this run's list and its delete.
 */
export type SupabaseFailure = FailureMode | 'malformed' | 'gone';

interface Key {
  readonly id: string;
  readonly name: string;
  readonly type: 'secret' | 'publishable';
  readonly api_key: string;
  readonly description?: string;
  revoked: boolean;
}

export class FakeSupabase {
  readonly projectRef = 'testprojectref';
  readonly managementToken = `sbp_${randomBytes(20).toString('hex')}`;
  private readonly keys = new Map<string, Key>();
  private readonly failures = new Map<SupabaseOperation, SupabaseFailure>();
  private server?: LocalServer;
  /** Every request plays this outage until it is cleared (undefined). */
  outage?: Outage;
  /** How long a request waits during a 'slow' outage. */
  slowMs = 5_000;

  async start(): Promise<string> {
    this.server = await listen((req, res) => this.handle(req, res));
    return this.server.url;
  }

  async stop(): Promise<void> {
    await this.server?.close();
  }

  /** A key that exists before any rotation (the one set out of band). */
  addKey(name: string, type: Key['type'] = 'secret'): { value: string; keyId: string } {
    const key: Key = {
      id: randomUUID(),
      name,
      type,
      api_key: `sb_${type}_${randomBytes(24).toString('base64url')}`,
      revoked: false,
    };
    this.keys.set(key.id, key);
    return { value: key.api_key, keyId: key.id };
  }

  failNext(operation: SupabaseOperation, mode: SupabaseFailure): void {
    this.failures.set(operation, mode);
  }

  accepts(value: string): boolean {
    return [...this.keys.values()].some((k) => k.api_key === value && !k.revoked && k.type === 'secret');
  }

  liveKeys(): string[] {
    return [...this.keys.values()].filter((k) => !k.revoked).map((k) => k.name);
  }

  /** The description a live key was created with. */
  descriptionOf(name: string): string | undefined {
    return [...this.keys.values()].find((k) => k.name === name && !k.revoked)?.description;
  }

  mintedValues(): string[] {
    return [...this.keys.values()].map((k) => k.api_key);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const body = await readBody(req);
    if (await playOutage(this.outage, this.slowMs, req, res)) return;
    const keysPath = `/v1/projects/${this.projectRef}/api-keys`;
    let operation: SupabaseOperation | undefined;
    if (url.pathname === keysPath && req.method === 'GET') operation = 'list';
    else if (url.pathname === keysPath && req.method === 'POST') operation = 'create';
    else if (url.pathname.startsWith(`${keysPath}/`) && req.method === 'DELETE') operation = 'revoke';
    else if (url.pathname === '/auth/v1/admin/users' && req.method === 'GET') operation = 'prove';
    else if (['/rest/v1/rpc/health_check', '/auth/v1/health'].includes(url.pathname)) operation = 'health';
    if (!operation) return sendJson(res, 404, { message: 'not found' });

    const failure = this.failures.get(operation);
    if (failure) {
      this.failures.delete(operation);
      if (failure === 'hang') return; // never answers; the caller's timeout must fire
      if (failure === 'error500') return sendJson(res, 500, { message: 'internal error' });
      // The Management API's per-token rate limit: 429 (no Retry-After is documented).
      if (failure === 'throttle') return sendJson(res, 429, { message: 'Too many requests' });
      if (failure === 'malformed')
        return sendJson(res, 200, operation === 'create' ? { id: randomUUID(), name: 'x' } : { keys: [] });
      if (failure === 'gone') {
        const key = this.keys.get(decodeURIComponent(url.pathname.slice(keysPath.length + 1)));
        if (key) key.revoked = true;
        return sendJson(res, 404, { message: 'not found' });
      }
      return sendJson(res, 401, { message: 'invalid credentials' });
    }

    if (operation === 'health') {
      const key = String(req.headers.apikey ?? '');
      const live = [...this.keys.values()].some((k) => k.api_key === key && !k.revoked);
      return live ? sendJson(res, 200, true) : sendJson(res, 401, { message: 'Invalid API key' });
    }
    if (operation === 'prove') {
      const key = String(req.headers.apikey ?? '');
      if (this.accepts(key)) return sendJson(res, 200, { users: [] });
      // A live publishable key is a valid key without admin rights.
      const publishable = [...this.keys.values()].some((k) => k.api_key === key && !k.revoked);
      return publishable
        ? sendJson(res, 403, { message: 'User not allowed' })
        : sendJson(res, 401, { message: 'Invalid API key' });
    }
    if (req.headers.authorization !== `Bearer ${this.managementToken}`)
      return sendJson(res, 401, { message: 'Unauthorized' });
    const live = () => [...this.keys.values()].filter((k) => !k.revoked);
    const reveal = url.searchParams.get('reveal') === 'true';
    const shown = (k: Key) => ({
      id: k.id,
      name: k.name,
      type: k.type,
      api_key: reveal ? k.api_key : `${k.api_key.slice(0, 14)}···`,
    });
    switch (operation) {
      case 'list':
        return sendJson(res, 200, live().map(shown));
      case 'create': {
        const { name, type, description } = JSON.parse(body || '{}');
        if (!/^[a-z_][a-z0-9_]*$/.test(name ?? '') || type !== 'secret')
          return sendJson(res, 400, { message: 'bad name or type' });
        if (live().some((k) => k.name === name)) return sendJson(res, 409, { message: 'name taken' });
        const key: Key = {
          id: randomUUID(),
          name,
          type,
          api_key: `sb_secret_${randomBytes(24).toString('base64url')}`,
          description,
          revoked: false,
        };
        this.keys.set(key.id, key);
        return sendJson(res, 201, shown(key));
      }
      case 'revoke': {
        const key = this.keys.get(decodeURIComponent(url.pathname.slice(keysPath.length + 1)));
        if (!key || key.revoked) return sendJson(res, 404, { message: 'not found' });
        key.revoked = true;
        return sendJson(res, 200, shown(key));
      }
    }
  }
}
