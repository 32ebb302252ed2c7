/** A node:http server on 127.0.0.1 with a random port, closed by `close()` (hanging requests included). */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { requestBody } from '../../scripts/lib/request-body';

export interface LocalServer {
  readonly url: string;
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

export async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => Promise<void> | void,
): Promise<LocalServer> {
  const server: Server = createServer((req, res) => {
    Promise.resolve(handler(req, res)).catch((error: Error) => {
      if (!res.headersSent) sendJson(res, 500, { message: `stand-in crashed: ${error.message}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** What a stand-in does instead of answering, to play a provider's failures. */
export type FailureMode = 'error500' | 'hang' | 'reject';

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
