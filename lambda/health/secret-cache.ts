/**
 * Secrets read from Secrets Manager by name, cached for minutes rather than read per request: a health endpoint
 * polled every few seconds must not turn into a Secrets Manager bill, nor fail when Secrets Manager throttles.
 * A failed read is not cached, so the next request tries again; a rotated secret is picked up within the TTL.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** Five minutes: rotation keeps the previous version valid (AWSPREVIOUS) far longer than this. */
export const SECRET_CACHE_TTL_MS = 5 * 60 * 1000;

export class SecretCache {
  private readonly entries = new Map<string, { readonly value: Promise<string>; readonly expires: number }>();

  constructor(
    private readonly fetchSecret: (name: string, signal: AbortSignal) => Promise<string>,
    private readonly ttlMs = SECRET_CACHE_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  read = (name: string, signal: AbortSignal): Promise<string> => {
    const cached = this.entries.get(name);
    if (cached && cached.expires > this.now()) return cached.value;
    const value = this.fetchSecret(name, signal);
    this.entries.set(name, { value, expires: this.now() + this.ttlMs });
    // Concurrent callers share the one read; a failure is forgotten so the next request retries.
    value.catch(() => {
      if (this.entries.get(name)?.value === value) this.entries.delete(name);
    });
    return value;
  };
}

/** Reads a secret's current string value with the real SDK client (endpoint overridable for tests). */
export function secretsManagerReader(client: SecretsManagerClient) {
  return async (name: string, signal: AbortSignal): Promise<string> => {
    const answer = await client.send(new GetSecretValueCommand({ SecretId: name }), { abortSignal: signal });
    if (answer.SecretString === undefined) throw new Error('secret has no string value');
    return answer.SecretString;
  };
}
