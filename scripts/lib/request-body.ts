/** The whole body of an incoming request, for the local servers (preview, stand-ins) that answer after reading it. */
import type { IncomingMessage } from 'node:http';

export async function requestBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
