/**
 * The one local server every stand-in runs on: node:http on 127.0.0.1 with a free port; `close()` also drops
 * connections held open by hung handlers, so no test leaves a socket behind. A handler that throws answers 500.
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { requestBody } from '../../scripts/lib/request-body';

export interface LocalServer {
  readonly server: Server;
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export async function readBody(req: IncomingMessage): Promise<string> {
  return (await requestBody(req)).toString('utf8');
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export async function listen(handler: (req: IncomingMessage, res: ServerResponse) => unknown): Promise<LocalServer> {
  const server: Server = createServer((req, res) => {
    Promise.resolve(handler(req, res)).catch((error: Error) => {
      if (!res.headersSent) sendJson(res, 500, { message: `stand-in crashed: ${error.message}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    port,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The same server, for handlers that want the whole request body first. */
export function listenWithBody(
  handler: (req: IncomingMessage, body: string, res: ServerResponse) => unknown,
): Promise<LocalServer> {
  return listen(async (req, res) => handler(req, await readBody(req), res));
}

/** One AWS API call as an SDK sends it. */
export interface AwsCall {
  /** `json-1.0`/`json-1.1` (X-Amz-Target and an application/x-amz-json body), `query` (form-encoded `Action=`). */
  readonly protocol: 'json-1.0' | 'json-1.1' | 'query';
  /** X-Amz-Target's prefix (`DynamoDB_20120810`); empty in the query protocol. */
  readonly service: string;
  readonly operation: string;
  /** The request body as the SDK sent it: each stand-in reads it through a type of the fields it uses. */
  readonly input: object;
}

function decodeAwsCall(req: IncomingMessage, body: string): AwsCall {
  const json = /^application\/x-amz-json-(1\.[01])/.exec(String(req.headers['content-type'] ?? ''));
  if (!json) {
    const input = Object.fromEntries(new URLSearchParams(body));
    return { protocol: 'query', service: '', operation: String(input.Action ?? ''), input };
  }
  const target = String(req.headers['x-amz-target'] ?? '');
  const dot = target.lastIndexOf('.');
  return {
    protocol: `json-${json[1] as '1.0' | '1.1'}`,
    service: target.slice(0, Math.max(0, dot)),
    operation: target.slice(dot + 1),
    input: JSON.parse(body || '{}'),
  };
}

/**
 * The request loop of the AWS stand-ins: reads the body, decodes the call (AWS JSON or query protocol) and hands it
 * to `handler`, which checks the protocol and service it expects and answers. A body that is not JSON gets 400.
 */
export function listenAws(
  handler: (call: AwsCall, res: ServerResponse, req: IncomingMessage) => unknown,
): Promise<LocalServer> {
  return listenWithBody((req, body, res) => {
    let call: AwsCall;
    try {
      call = decodeAwsCall(req, body);
    } catch (error) {
      return sendJson(res, 400, { __type: 'SerializationException', message: (error as Error).message });
    }
    return handler(call, res, req);
  });
}

/** A port nothing listens on (bound, then released), for "connection refused". */
export async function refusedPort(): Promise<number> {
  const probe = await listen(() => undefined);
  await probe.close();
  return probe.port;
}

/** What a stand-in does instead of answering, to play a provider's failures (`throttle`: 429, over its rate limit). */
export type FailureMode = 'error500' | 'hang' | 'reject' | 'throttle';

/** A provider outage as a game day injects it: every request slow, answered 503, or its connection dropped. */
export type Outage = 'slow' | 'failing' | 'down';

/** Plays `outage` on a request; true when the request was answered (or dropped) and must not be served. */
export async function playOutage(
  outage: Outage | undefined,
  slowMs: number,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  if (outage === 'down') {
    req.socket.destroy();
    return true;
  }
  if (outage === 'failing') {
    sendJson(res, 503, { message: 'service unavailable' });
    return true;
  }
  if (outage === 'slow') await new Promise((resolve) => setTimeout(resolve, slowMs));
  return false;
}
