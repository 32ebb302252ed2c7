/**
 * HTTP calls to a credential provider, bounded in time. Errors carry the operation and status only, never a
 * request or response body, which may hold a credential.
 *
 * Redirects are refused, never followed: on a cross-origin redirect Node's fetch drops `authorization` but forwards
 * every other header (`apikey`, `x-goog-api-key`) and, on 307/308, re-sends the body. Providers' APIs answer their
 * own URLs directly, so a redirect means a misconfigured URL or someone in between; the rotation step fails (and
 * AWSCURRENT keeps working). Keys travel only in headers: a URL ends up in proxies' and providers' logs.
 */

/** A provider call that takes longer than this is treated as failed; the rotation step fails and is retried. */
export const DEFAULT_PROVIDER_TIMEOUT_MS = 10_000;

export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  constructor(
    readonly operation: string,
    readonly status?: number,
    detail?: string,
  ) {
    super(`${operation} failed${status ? ` with HTTP ${status}` : ''}${detail ? `: ${detail}` : ''}`);
  }
}

export interface ProviderResponse {
  readonly status: number;
  readonly body: unknown;
}

export async function callProvider(
  operation: string,
  url: string,
  init: {
    method?: string;
    headers?: Record<string, string>;
    body?: unknown;
    form?: Record<string, string>;
    timeoutMs?: number;
  },
): Promise<ProviderResponse> {
  let response: Response;
  const contentType: Record<string, string> = init.form
    ? { 'content-type': 'application/x-www-form-urlencoded' }
    : init.body === undefined
      ? {}
      : { 'content-type': 'application/json' };
  try {
    response = await fetch(url, {
      method: init.method ?? 'GET',
      headers: { accept: 'application/json', ...contentType, ...init.headers },
      body: init.form
        ? new URLSearchParams(init.form).toString()
        : init.body === undefined
          ? undefined
          : JSON.stringify(init.body),
      signal: AbortSignal.timeout(init.timeoutMs ?? DEFAULT_PROVIDER_TIMEOUT_MS),
      redirect: 'manual',
    });
  } catch (error) {
    const reason = (error as Error).name === 'TimeoutError' ? 'timed out' : 'could not connect';
    throw new ProviderError(operation, undefined, reason);
  }
  if (response.status >= 300 && response.status <= 399) {
    await response.body?.cancel().catch(() => undefined);
    // The location is not echoed: it may carry whatever the redirect wanted to collect.
    throw new ProviderError(
      operation,
      response.status,
      'the provider answered with a redirect, which is refused (credentials are sent only to the configured URL)',
    );
  }
  const text = await response.text().catch(() => '');
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: response.status, body };
}

/** Whether a provider's answer is a success (2xx). */
export function isSuccess(status: number): boolean {
  return status >= 200 && status <= 299;
}

/** Like `callProvider`, but any status outside 2xx is a `ProviderError`. */
export async function callProviderOk(
  operation: string,
  url: string,
  init: Parameters<typeof callProvider>[2],
): Promise<unknown> {
  const { status, body } = await callProvider(operation, url, init);
  if (!isSuccess(status)) throw new ProviderError(operation, status);
  return body;
}
