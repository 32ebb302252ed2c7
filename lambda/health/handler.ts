/**
 * The health API's Lambda handler (function URL behind CloudFront). Thin: routing and the HTTP answer only.
 * `/health` is cheap liveness plus the live release id, which CloudFront's viewer-request function passes in the
 * `x-miko-release` header (the same value the site is serving).
 */
import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from './types';

export const RELEASE_HEADER = 'x-miko-release';

/** Health answers must never be cached: a cached "healthy" hides an outage. */
const NO_STORE_HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' };

export function releaseOf(event: LambdaFunctionURLEvent): string {
  const release = event.headers?.[RELEASE_HEADER];
  // Only ids we could have written: a header is client-controlled when the function URL is called directly.
  return release && /^[A-Za-z0-9._-]{1,64}$/.test(release) ? release : 'unknown';
}

export async function handler(event: LambdaFunctionURLEvent): Promise<LambdaFunctionURLResult> {
  const path = event.rawPath.replace(/\/+$/, '') || '/';
  if (path === '/health') {
    return { statusCode: 200, headers: NO_STORE_HEADERS, body: JSON.stringify({ status: 'healthy', release: releaseOf(event), checks: {} }) };
  }
  return { statusCode: 404, headers: NO_STORE_HEADERS, body: JSON.stringify({ status: 'not-found' }) };
}
