/**
 * A local stand-in for an n8n instance on 127.0.0.1: its liveness (`/healthz`) and its public API (`X-N8N-API-KEY`
 * checked), as the health checks call them. `outage` plays a slow, failing or unreachable n8n (tools/stand-ins/http.ts).
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import { listen, LocalServer, Outage, playOutage, readBody, sendJson } from './http';

export class FakeN8n {
  /** The API keys n8n accepts now. */
  readonly apiKeys = new Set<string>();
  outage?: Outage;
  slowMs = 5_000;
  private server?: LocalServer;

  async start(): Promise<string> {
    this.server = await listen((req, res) => this.handle(req, res));
    return this.server.url;
  }

  async stop(): Promise<void> {
    await this.server?.close();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    await readBody(req);
    if (await playOutage(this.outage, this.slowMs, req, res)) return;
    const path = new URL(req.url ?? '/', 'http://stand-in').pathname;
    if (path === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (path.startsWith('/api/v1/')) {
      return this.apiKeys.has(String(req.headers['x-n8n-api-key'] ?? ''))
        ? sendJson(res, 200, { data: [] })
        : sendJson(res, 401, { message: 'unauthorized' });
    }
    sendJson(res, 404, { message: 'not found' });
  }
}
