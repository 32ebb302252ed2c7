/**
 * Lambda@Edge, origin request of `/_telemetry/*`: adds `x-amz-content-sha256` with the body's SHA-256.
 *
 * Why: CloudFront's Origin Access Control signs requests to a Lambda function URL, but Lambda accepts a signed
 * POST only with the payload's hash in that header ("Lambda doesn't support unsigned payloads"), and no browser
 * adds it to a CSP report or a Reporting API batch. Hashing here keeps the function URL private (AWS_IAM, only
 * this distribution may call it) while browsers post as they always do. It logs nothing: its logs land in the
 * edge's region, outside the platform's encrypted log groups.
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
