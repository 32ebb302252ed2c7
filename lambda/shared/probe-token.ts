/**
 * The prober's token for `/health/db` and `/health/apis` (they reveal our dependencies and spend their quotas;
 * `/health` stays public); secret `prober-health-token`. Both sides cache (AWSCURRENT, AWSPREVIOUS) and any shared
 * token admits, so a rotation never locks the prober out while rotations are further apart than the caches live.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { parseSecretValue } from './secret-value';

/** Forwarded by CloudFront to the health API only (its origin request policy), redacted from WAF logs. */
export const PROBE_TOKEN_HEADER = 'x-miko-probe-token';

export interface ProbeTokenSettings {
  readonly secretName: string;
}

/** Tokens are letters and digits (lambda/rotation/rotators/generated.ts): a comma cannot occur in one. */
const SEPARATOR = ',';
/** More than the pair is not a prober: it could only be someone guessing many at once. */
const MAX_PRESENTED = 2;

/** Equal without leaking where they differ, whatever their lengths. */
export function sameToken(presented: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

/** Reads one version stage of the token; undefined when that stage does not exist (no rotation yet). */
export function tokenReader(client: SecretsManagerClient) {
  return async (secretName: string, stage: 'AWSCURRENT' | 'AWSPREVIOUS'): Promise<string | undefined> => {
    try {
      const { SecretString } = await client.send(
        new GetSecretValueCommand({ SecretId: secretName, VersionStage: stage }),
      );
      return SecretString === undefined ? undefined : parseSecretValue(SecretString, stage).value;
    } catch (error) {
      if (stage === 'AWSPREVIOUS' && (error as Error).name === 'ResourceNotFoundException') return undefined;
      throw error;
    }
  };
}

/** The tokens valid now, current first: what the prober sends and what the health API admits. */
export async function validTokens(read: ReturnType<typeof tokenReader>, secretName: string): Promise<string[]> {
  const pair = await Promise.all([read(secretName, 'AWSCURRENT'), read(secretName, 'AWSPREVIOUS')]);
  return pair.filter((token): token is string => Boolean(token));
}

/** The header value the prober sends: every valid token it holds. */
export const probeTokenHeaderValue = (tokens: readonly string[]): string => tokens.join(SEPARATOR);

/** Whether a header value carries a token the health API holds (at most the pair is looked at). */
export function presentsValidToken(headerValue: string | undefined, valid: readonly string[]): boolean {
  if (!headerValue) return false;
  const presented = headerValue.split(SEPARATOR, MAX_PRESENTED + 1).map((t) => t.trim());
  if (presented.length > MAX_PRESENTED) return false;
  return presented.some((token) => token !== '' && valid.some((known) => sameToken(token, known)));
}
