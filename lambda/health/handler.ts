/**
 * The health API's handler (function URL behind CloudFront): routing and the HTTP answer only. `/health`: liveness
 * and the live release id from the viewer-request function's `x-miko-release` header. `/health/db`, `/health/apis`:
 * the group's checks (checks.ts), for the prober only; without its token, 404 (lambda/shared/probe-token.ts).
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PROBE_TOKEN_HEADER, presentsValidToken, tokenReader, validTokens } from '../shared/probe-token';
import { CheckGroup, httpStatusOf, runChecks } from './checks';
import { SecretCache, secretsManagerReader } from './secret-cache';
import { readSettings } from './settings';
import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from './types';

export const RELEASE_HEADER = 'x-miko-release';

/** Health answers must never be cached: a cached "healthy" hides an outage. */
const NO_STORE_HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' };

const GROUP_OF_PATH: Record<string, CheckGroup> = { '/health/db': 'db', '/health/apis': 'apis' };

/** Stdout, which Lambda sends to CloudWatch Logs; a tool running the handler in its own process passes a sink. */
let writeLogLine: (line: string) => void = (line) => console.log(line);

export function writeLogLinesTo(write: (line: string) => void): void {
  writeLogLine = write;
}

// Module scope: settings, client and cache live as long as the execution environment, so secrets are read once
// per TTL, not per request.
const settings = readSettings();
const client = new SecretsManagerClient({});
const secrets = new SecretCache(secretsManagerReader(client), settings.secretCacheTtlMs);
const readToken = tokenReader(client);
// The accepted tokens, cached like the other secrets (a read per TTL, not per probe).
const tokens = new SecretCache(
  async (name) => JSON.stringify(await validTokens(readToken, name)),
  settings.secretCacheTtlMs,
);

/** Whether the request carries the prober's token (always true when no token is configured). */
export async function fromProber(event: LambdaFunctionURLEvent, accepted: () => Promise<string[]>): Promise<boolean> {
  const presented = event.headers?.[PROBE_TOKEN_HEADER];
  if (!presented) return false;
  return presentsValidToken(presented, await accepted());
}

export function releaseOf(event: LambdaFunctionURLEvent): string {
  const release = event.headers?.[RELEASE_HEADER];
  // Only ids we could have written: a header is client-controlled when the function URL is called directly.
  return release && /^[A-Za-z0-9._-]{1,64}$/.test(release) ? release : 'unknown';
}

export async function handler(event: LambdaFunctionURLEvent): Promise<LambdaFunctionURLResult> {
  const path = event.rawPath.replace(/\/+$/, '') || '/';
  const release = releaseOf(event);
  if (path === '/health') {
    return {
      statusCode: 200,
      headers: NO_STORE_HEADERS,
      body: JSON.stringify({ status: 'healthy', release, checks: {} }),
    };
  }
  const group = GROUP_OF_PATH[path];
  const notFound = { statusCode: 404, headers: NO_STORE_HEADERS, body: JSON.stringify({ status: 'not-found' }) };
  if (!group) return notFound;
  const token = settings.probeToken;
  if (token) {
    let admitted: boolean;
    try {
      admitted = await fromProber(event, async () =>
        JSON.parse(await tokens.read(token.secretName, AbortSignal.timeout(2000))),
      );
    } catch {
      // The token could not be read (Secrets Manager throttled or down): nobody can be admitted, say so plainly.
      return { statusCode: 503, headers: NO_STORE_HEADERS, body: JSON.stringify({ status: 'unavailable' }) };
    }
    if (!admitted) return notFound;
  }

  const report = await runChecks(
    settings.checks.filter((c) => c.group === group),
    secrets.read,
    settings.deadlineMs,
  );
  // Names and statuses only: the log line is as safe to read as the answer.
  writeLogLine(JSON.stringify({ path, status: report.status, checks: report.checks }));
  return {
    statusCode: httpStatusOf(report),
    headers: NO_STORE_HEADERS,
    body: JSON.stringify({ status: report.status, release, checks: report.checks }),
  };
}
