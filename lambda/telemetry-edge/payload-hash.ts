/**
 * Lambda@Edge, origin request of `/_telemetry/*`: adds `x-amz-content-sha256` with the body's SHA-256, because
 * Lambda accepts an OAC-signed POST only with it and browsers never send it; so the function URL stays AWS_IAM.
 * Logs nothing: edge logs land outside the platform's encrypted log groups.
 */
import { createHash } from 'node:crypto';

interface EdgeRequest {
  method: string;
  headers: Record<string, Array<{ key?: string; value: string }>>;
  body?: { data: string; encoding: 'base64' | 'text'; inputTruncated: boolean };
}

interface EdgeEvent {
  Records: Array<{ cf: { request: EdgeRequest } }>;
}

type EdgeResponse = { status: string; statusDescription: string; headers: EdgeRequest['headers'] };

export const PAYLOAD_HASH_HEADER = 'x-amz-content-sha256';

export function payloadHashOf(body: EdgeRequest['body']): string {
  const bytes = body ? Buffer.from(body.data, body.encoding === 'base64' ? 'base64' : 'utf8') : Buffer.alloc(0);
  return createHash('sha256').update(bytes).digest('hex');
}

export async function handler(event: EdgeEvent): Promise<EdgeRequest | EdgeResponse> {
  const request = event.Records[0].cf.request;
  // CloudFront exposes at most 1 MB of body; a hash of a truncated body would fail the signature anyway.
  if (request.body?.inputTruncated) {
    return {
      status: '413',
      statusDescription: 'Payload Too Large',
      headers: { 'cache-control': [{ key: 'Cache-Control', value: 'no-store' }] },
    };
  }
  request.headers[PAYLOAD_HASH_HEADER] = [{ key: 'x-amz-content-sha256', value: payloadHashOf(request.body) }];
  return request;
}
