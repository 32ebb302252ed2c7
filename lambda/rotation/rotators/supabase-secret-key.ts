/**
 * A Supabase secret API key, rotated through the Supabase Management API.
 *
 * Supabase mints the key's value itself, and Secrets Manager refuses to change a version's value once stored
 * (and fails the rotation if createSecret stores none), so the new key is created in `create` rather than in
 * setSecret: it is named after the rotation's token, so a re-run after a crash finds it instead of minting a
 * second. `set` checks the key is still live; `test` proves it against the project's API; `retire` revokes the
 * key two rotations old (and keys of abandoned rotations), never the current or the pending one, so AWSPREVIOUS
 * keeps working while consumers switch.
 */
import type { Rotator } from '../engine';
import type { SecretValue } from '../../shared/secret-value';
import { callProvider, callProviderOk, isSuccess, ProviderError } from './provider-http';

/** Prefix of the keys this rotator makes, so it can find (and clean up) its own and never touches others. */
export const ROTATED_KEY_PREFIX = 'miko_rotated_';

export interface SupabaseRotatorOptions {
  /** https://api.supabase.com in production. */
  readonly managementApiUrl: string;
  readonly projectRef: string;
  /** https://<ref>.supabase.co: where a key is proven to work. */
  readonly projectUrl: string;
  /** The Management API token (read from its own secret at call time). */
  readonly managementToken: () => Promise<string>;
  readonly timeoutMs?: number;
}

interface ApiKey {
  readonly id: string;
  readonly name: string;
  readonly type?: string;
  readonly api_key?: string;
}

export class SupabaseKeyRejectedError extends Error {
  override readonly name = 'SupabaseKeyRejectedError';
}

/** Supabase key names are lower-case letters, digits and underscores. */
export function rotatedKeyName(token: string): string {
  return ROTATED_KEY_PREFIX + token.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export function supabaseSecretKeyRotator(options: SupabaseRotatorOptions): Rotator {
  const keysUrl = `${options.managementApiUrl}/v1/projects/${encodeURIComponent(options.projectRef)}/api-keys`;
  const management = async () => ({ authorization: `Bearer ${await options.managementToken()}` });
  const timeoutMs = options.timeoutMs;

  async function listKeys(): Promise<ApiKey[]> {
    const body = await callProviderOk('list Supabase API keys', `${keysUrl}?reveal=true`, {
      headers: await management(),
      timeoutMs,
    });
    if (!Array.isArray(body)) throw new ProviderError('list Supabase API keys', undefined, 'unexpected answer');
    return body as ApiKey[];
  }

  async function revoke(id: string): Promise<void> {
    const { status } = await callProvider('revoke a Supabase API key', `${keysUrl}/${encodeURIComponent(id)}`, {
      method: 'DELETE',
      headers: await management(),
      timeoutMs,
    });
    // 404: revoked already (a re-run after a crash), which is what we wanted.
    if (status !== 404 && !isSuccess(status)) throw new ProviderError('revoke a Supabase API key', status);
  }

  const asSecret = (key: ApiKey): SecretValue => {
    if (!key.api_key || !key.id)
      throw new ProviderError('create a Supabase API key', undefined, 'the answer has no key');
    return { value: key.api_key, keyId: key.id };
  };

  return {
    async create({ token }) {
      const name = rotatedKeyName(token);
      const existing = (await listKeys()).find((key) => key.name === name);
      if (existing) return asSecret(existing);
      const created = await callProviderOk('create a Supabase API key', `${keysUrl}?reveal=true`, {
        method: 'POST',
        headers: await management(),
        timeoutMs,
        body: { type: 'secret', name, description: 'rotated by Secrets Manager (MiKO); do not edit' },
      });
      return asSecret(created as ApiKey);
    },
    async set({ pending }) {
      if (!(await listKeys()).some((key) => key.id === pending.keyId)) {
        throw new SupabaseKeyRejectedError(
          'the pending key no longer exists at Supabase. Fix: start a new rotation (npm run rotate).',
        );
      }
    },
    async test(pending) {
      const { status } = await callProvider(
        'prove a Supabase secret key',
        `${options.projectUrl}/auth/v1/admin/users?page=1&per_page=1`,
        {
          headers: { apikey: pending.value },
          timeoutMs,
        },
      );
      if (status === 401 || status === 403)
        throw new SupabaseKeyRejectedError(`Supabase rejected the pending key (HTTP ${status})`);
      if (!isSuccess(status)) throw new ProviderError('prove a Supabase secret key', status);
    },
    async retire({ keep, retiring }) {
      const kept = new Set(keep.map((secret) => secret.keyId));
      const keys = await listKeys();
      const doomed = keys.filter(
        (key) => !kept.has(key.id) && (key.id === retiring?.keyId || key.name.startsWith(ROTATED_KEY_PREFIX)),
      );
      for (const key of doomed) await revoke(key.id);
    },
  };
}
