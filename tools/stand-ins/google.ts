/**
 * Google's OAuth token endpoint (checks the RS256 signature), the API Keys API v2 (operations done on the first
 * poll) and one API a key can call. A key works only while not deleted and from an allowed referrer (else 403
 * API_KEY_HTTP_REFERRER_BLOCKED). `failNext` plays a 500, a hang, a refusal or a 429, an empty 200, a redirect or
 * any status; `outage` a longer outage. The token endpoint checks the JWT's header and claims as Google does.
 */
import { createVerify, generateKeyPairSync, KeyPairKeyObjectResult, randomBytes } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { FailureMode, listen, LocalServer, Outage, playOutage, readBody, sendJson } from './http';

/** Beyond the shared modes: an empty 200 answer, a 302 redirect, or that HTTP status with Google's error body. */
export type GoogleFailure = FailureMode | 'empty' | 'redirect' | number;

/** A request as the stand-in received it (the project written as the caller wrote it). */
export interface GoogleRequest {
  readonly operation: GoogleOperation | 'poll';
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly headers: IncomingMessage['headers'];
  readonly body: unknown;
}

export type GoogleOperation = 'token' | 'get' | 'keyString' | 'create' | 'patch' | 'delete' | 'list' | 'prove';

interface Key {
  readonly name: string;
  readonly keyString: string;
  /** As the caller set it; only the browser referrers are read. */
  restrictions: unknown;
  deleteTime?: string;
}

/** A long-running operation: `polls` more polls until it is done, then its error or its response. */
interface StoredOperation {
  readonly name: string;
  polls: number;
  readonly error?: unknown;
  readonly response: unknown;
}

interface KeyRestrictions {
  readonly browserKeyRestrictions?: { readonly allowedReferrers?: string[] };
}

/**
 * The service account's key pair, made once per test file and shared by every stand-in: an RSA key takes a few
 * hundred ms of CPU to make, and a fresh one per test proves nothing the signature check does not.
 */
let serviceAccountKeyPair: KeyPairKeyObjectResult | undefined;
const sharedKeyPair = () => (serviceAccountKeyPair ??= generateKeyPairSync('rsa', { modulusLength: 2048 }));

/** Google's answer to a live key called from a referrer its restrictions do not allow (or with none). */
function refererBlocked(referer: string) {
  const message = `Requests from referer ${referer || '<empty>'} are blocked.`;
  return {
    error: {
      code: 403,
      message,
      errors: [{ message, domain: 'global', reason: 'forbidden' }],
      status: 'PERMISSION_DENIED',
      details: [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: 'API_KEY_HTTP_REFERRER_BLOCKED',
          domain: 'googleapis.com',
          metadata: { service: 'calendar-json.googleapis.com' },
        },
      ],
    },
  };
}

export class FakeGoogle {
  readonly project = 'miko-test-project';
  /** Google answers with the project's number even when asked by its id. */
  readonly projectNumber = '123456789012';
  private readonly keyPair = sharedKeyPair();
  private readonly issuedTokens = new Set<string>();
  private readonly keys = new Map<string, Key>();
  private readonly operations = new Map<string, StoredOperation>();
  private readonly failures = new Map<GoogleOperation, GoogleFailure>();
  private readonly beforeNext = new Map<GoogleOperation, () => void>();
  /** Every request served, oldest first. */
  readonly requests: GoogleRequest[] = [];
  /** Polls a create or delete operation takes before it reports done (Infinity: it never does). */
  operationPolls = 1;
  /** The next long-running operation ends with this error (google.rpc.Status) instead of a response. */
  operationError?: { code: number; message: string };
  private server?: LocalServer;
  url = '';
  /** Every request plays this outage until it is cleared (undefined). */
  outage?: Outage;
  slowMs = 5_000;

  async start(): Promise<string> {
    this.server = await listen((req, res) => this.handle(req, res));
    this.url = this.server.url;
    return this.url;
  }

  async stop(): Promise<void> {
    await this.server?.close();
  }

  /** The service-account JSON key a person stores in the google-rotation-credentials secret. */
  serviceAccountKey(): string {
    return JSON.stringify({
      type: 'service_account',
      client_email: 'rotator@miko-test-project.iam.gserviceaccount.com',
      private_key: this.keyPair.privateKey.export({ type: 'pkcs8', format: 'pem' }),
      token_uri: `${this.url}/token`,
    });
  }

  addKey(id: string, restrictions: unknown): { value: string; keyId: string } {
    const key: Key = {
      name: `projects/${this.project}/locations/global/keys/${id}`,
      keyString: `AIza${randomBytes(26).toString('base64url').slice(0, 35)}`,
      restrictions,
    };
    this.keys.set(id, key);
    return { value: key.keyString, keyId: key.name };
  }

  failNext(operation: GoogleOperation, mode: GoogleFailure): void {
    this.failures.set(operation, mode);
  }

  /** Runs `action` just before the next `operation` is served: another actor's change between two calls. */
  before(operation: GoogleOperation, action: () => void): void {
    this.beforeNext.set(operation, action);
  }

  liveKeys(): Key[] {
    return [...this.keys.values()].filter((k) => !k.deleteTime);
  }

  mintedValues(): string[] {
    return [...this.keys.values()].map((k) => k.keyString);
  }

  accepts(keyString: string, referer: string): boolean {
    const key = this.liveKeys().find((k) => k.keyString === keyString);
    const restrictions = key?.restrictions as KeyRestrictions | undefined;
    const allowed = restrictions?.browserKeyRestrictions?.allowedReferrers ?? [];
    return (
      Boolean(key) &&
      allowed.some((pattern) => new RegExp(`^${pattern.replace(/[.]/g, '\\.').replace(/\*/g, '.*')}$`).test(referer))
    );
  }

  /** A long-running operation as Google answers it: done with a response or an error (never both), or not yet. */
  private operation(polls: number, response: unknown): unknown {
    const op = { name: `operations/${randomBytes(6).toString('hex')}`, polls, error: this.operationError, response };
    this.operationError = undefined;
    this.operations.set(op.name, op);
    return this.operationState(op);
  }

  private operationState(op: StoredOperation): unknown {
    if (op.polls > 0) return { name: op.name, done: false };
    return { name: op.name, done: true, ...(op.error ? { error: op.error } : { response: op.response }) };
  }

  /** Google's checks of a JWT bearer grant: RS256, issuer, audience, scope, at most an hour, not expired or early. */
  private jwtProblem(header: string, claims: string): string | undefined {
    const decode = (part: string) => {
      try {
        return JSON.parse(Buffer.from(part, 'base64url').toString()) as Record<string, unknown>;
      } catch {
        return {};
      }
    };
    const head = decode(header);
    const claim = decode(claims);
    const now = Date.now() / 1000;
    if (head.alg !== 'RS256' || head.typ !== 'JWT') return 'Invalid JWT header';
    if (claim.iss !== 'rotator@miko-test-project.iam.gserviceaccount.com') return 'Invalid JWT issuer';
    if (claim.aud !== `${this.url}/token`) return 'Invalid JWT audience';
    if (
      !String(claim.scope ?? '')
        .split(' ')
        .includes('https://www.googleapis.com/auth/cloud-platform')
    )
      return 'invalid_scope';
    const iat = Number(claim.iat);
    const exp = Number(claim.exp);
    if (!(iat <= now + 60 && exp > now && exp - iat <= 3600))
      return 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe';
    return undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const body = await readBody(req);
    if (await playOutage(this.outage, this.slowMs, req, res)) return;
    const keysPath = `/v2/projects/${this.project}/locations/global/keys`;
    // The project may be named by id or by number, as with Google.
    const path = url.pathname.replace(`/v2/projects/${this.projectNumber}/`, `/v2/projects/${this.project}/`);
    let operation: GoogleOperation | 'poll' | undefined;
    if (path === '/token' && req.method === 'POST') operation = 'token';
    else if (path.startsWith('/calendar/') || path.startsWith('/discovery/')) operation = 'prove';
    else if (path.startsWith('/v2/operations/')) operation = 'poll';
    else if (path === keysPath) operation = req.method === 'POST' ? 'create' : 'list';
    else if (path.startsWith(`${keysPath}/`) && path.endsWith('/keyString')) operation = 'keyString';
    else if (path.startsWith(`${keysPath}/`))
      operation = ({ GET: 'get', PATCH: 'patch', DELETE: 'delete' } as const)[req.method as 'GET' | 'PATCH' | 'DELETE'];
    if (!operation) return sendJson(res, 404, { error: { code: 404 } });
    this.requests.push({
      operation,
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body: body && req.headers['content-type'] === 'application/json' ? JSON.parse(body) : body,
    });
    if (operation !== 'poll') {
      const action = this.beforeNext.get(operation);
      this.beforeNext.delete(operation);
      action?.();
    }

    const failure = operation === 'poll' ? undefined : this.failures.get(operation);
    if (failure !== undefined && operation !== 'poll') {
      this.failures.delete(operation);
      if (typeof failure === 'number') return sendJson(res, failure, { error: { code: failure } });
      if (failure === 'empty') {
        res.writeHead(200).end();
        return;
      }
      if (failure === 'redirect') {
        res.writeHead(302, { location: 'https://elsewhere.example/collect' }).end();
        return;
      }
      if (failure === 'hang') return;
      if (failure === 'error500') return sendJson(res, 500, { error: { code: 500 } });
      // Google's quota errors: 429 RESOURCE_EXHAUSTED, with no Retry-After (clients back off on their own).
      if (failure === 'throttle')
        return sendJson(res, 429, {
          error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'Quota exceeded for quota metric' },
        });
      return sendJson(res, operation === 'prove' ? 400 : 401, {
        error: { code: operation === 'prove' ? 400 : 401, status: 'API_KEY_INVALID' },
      });
    }

    if (operation === 'token') {
      const assertion = new URLSearchParams(body).get('assertion') ?? '';
      const [header, claims, signature] = assertion.split('.');
      const valid =
        Boolean(signature) &&
        createVerify('RSA-SHA256').update(`${header}.${claims}`).verify(this.keyPair.publicKey, signature, 'base64url');
      if (!valid) return sendJson(res, 400, { error: 'invalid_grant' });
      const problem = this.jwtProblem(header, claims);
      if (problem) return sendJson(res, 400, { error: 'invalid_grant', error_description: problem });
      const token = `ya29.${randomBytes(16).toString('hex')}`;
      this.issuedTokens.add(token);
      return sendJson(res, 200, { access_token: token, expires_in: 3600, token_type: 'Bearer' });
    }
    if (operation === 'prove') {
      // Google reads the key from x-goog-api-key (or ?key=, which the rotator must not use: the test below refuses it).
      if (url.searchParams.has('key')) return sendJson(res, 400, { error: { code: 400, message: 'key in the URL' } });
      const keyString = String(req.headers['x-goog-api-key'] ?? '');
      const referer = String(req.headers.referer ?? '');
      if (this.accepts(keyString, referer)) return sendJson(res, 200, { items: [] });
      const live = this.liveKeys().some((k) => k.keyString === keyString);
      return sendJson(res, 403, live ? refererBlocked(referer) : { error: { code: 403 } });
    }
    if (!this.issuedTokens.has(String(req.headers.authorization ?? '').replace(/^Bearer /, '')))
      return sendJson(res, 401, { error: { code: 401 } });
    const name = decodeURIComponent(path.slice('/v2/'.length)).replace(/\/keyString$/, '');
    const key = name.startsWith('projects/') ? this.keys.get(name.split('/').pop()!) : undefined;
    const shown = (k: Key) => ({
      name: k.name.replace(`projects/${this.project}/`, `projects/${this.projectNumber}/`),
      restrictions: k.restrictions,
      ...(k.deleteTime ? { deleteTime: k.deleteTime } : {}),
    });
    switch (operation) {
      case 'poll': {
        const op = this.operations.get(name);
        if (!op) return sendJson(res, 404, { error: { code: 404 } });
        op.polls--;
        return sendJson(res, 200, this.operationState(op));
      }
      case 'list':
        return sendJson(res, 200, { keys: this.liveKeys().map(shown) });
      case 'get':
        return key ? sendJson(res, 200, shown(key)) : sendJson(res, 404, { error: { code: 404 } });
      case 'keyString':
        return key && !key.deleteTime
          ? sendJson(res, 200, { keyString: key.keyString })
          : sendJson(res, 404, { error: { code: 404 } });
      case 'create': {
        const keyId = url.searchParams.get('keyId') ?? '';
        const fullName = `${keysPath.slice('/v2/'.length)}/${keyId}`;
        if (!/^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/.test(keyId)) return sendJson(res, 400, { error: { code: 400 } });
        if (this.keys.has(keyId)) return sendJson(res, 409, { error: { code: 409 } });
        const created: Key = {
          name: fullName,
          keyString: `AIza${randomBytes(26).toString('base64url').slice(0, 35)}`,
          restrictions: JSON.parse(body).restrictions,
        };
        this.keys.set(keyId, created);
        return sendJson(res, 200, this.operation(this.operationPolls, shown(created)));
      }
      case 'patch':
        if (!key || key.deleteTime) return sendJson(res, 404, { error: { code: 404 } });
        key.restrictions = JSON.parse(body).restrictions;
        return sendJson(res, 200, this.operation(0, shown(key)));
      case 'delete':
        if (!key || key.deleteTime) return sendJson(res, 404, { error: { code: 404 } });
        key.deleteTime = new Date().toISOString();
        return sendJson(res, 200, this.operation(this.operationPolls, shown(key)));
    }
  }
}
