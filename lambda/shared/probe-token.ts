/**
 * The token the prober sends so `/health/db` and `/health/apis` answer it and nobody else (`/health` stays public).
 * Those two reveal which dependencies are up, their latency and how often we call them; a stranger polling them
 * would also spend our Supabase, n8n and Google quotas. The token is a generated secret (rotated by Secrets
 * Manager, lib/secrets/inventory.ts `prober-health-token`); the health API accepts AWSCURRENT and AWSPREVIOUS, so
 * a prober still holding the previous value (cached for minutes) is not locked out by a rotation.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { parseSecretValue } from './secret-value';

/** Forwarded by CloudFront to the health API only (its origin request policy), redacted from WAF logs. */
export const PROBE_TOKEN_HEADER = 'x-miko-probe-token';

export interface ProbeTokenSettings {
  readonly secretName: string;
}

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
