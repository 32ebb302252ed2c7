/**
 * A Google API key, rotated through the API Keys API with a service account's credentials.
 *
 * Google mints the key string, so (as for Supabase) the key is created in `create`, under a key id derived from
 * the rotation's token so that a re-run finds it instead of creating a second, and with the current key's
 * restrictions copied (APIs, referrers), so there is never an unrestricted key. `set` re-applies the current
 * restrictions (they may have been edited meanwhile); `test` calls an API with the key and the site's referrer;
 * `retire` deletes the key two rotations old and keys of abandoned rotations, never current or pending.
 */
import { createSign } from 'node:crypto';
import type { Rotator } from '../engine';
import type { SecretValue } from '../../shared/secret-value';
import { callProvider, callProviderOk, isSuccess, ProviderError } from './provider-http';

export const GOOGLE_API_KEYS_URL = 'https://apikeys.googleapis.com';
/** A public Google calendar: readable with any key allowed to call the Calendar API. */
export const GOOGLE_KEY_TEST_URL =
  'https://www.googleapis.com/calendar/v3/calendars/en.usa%23holiday%40group.v.calendar.google.com/events?maxResults=1';
/** Key ids this rotator makes start with this, so it can find (and clean up) its own and never touches others. */
export const ROTATED_KEY_ID_PREFIX = 'miko-rotated-';
/** An operation (create, delete) is polled at most this many times, one second apart. */
const OPERATION_POLLS = 20;

export interface GoogleRotatorOptions {
  readonly cloudProject: string;
  /** The service account's JSON key (client_email, private_key, token_uri), read from its own secret. */
  readonly serviceAccountKey: () => Promise<string>;
  readonly apiKeysUrl?: string;
  readonly testUrl?: string;
  /** Sent as Referer when proving a key restricted to the site's referrers. */
  readonly testReferer: string;
  readonly timeoutMs?: number;
  readonly pollIntervalMs?: number;
}

interface GoogleKey {
  readonly name: string;
  readonly restrictions?: unknown;
  readonly deleteTime?: string;
}

interface Operation {
  readonly name: string;
  readonly done?: boolean;
  readonly error?: { code?: number };
}

export class GoogleKeyRejectedError extends Error {
  override readonly name = 'GoogleKeyRejectedError';
}

/** The last segment of a key's resource name: unique in its project, whichever way the project is written. */
const keyIdOf = (name: string): string => name.split('/').pop() ?? name;

export function rotatedKeyId(token: string): string {
  return ROTATED_KEY_ID_PREFIX + token.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** An OAuth access token for the service account (JWT bearer grant, RS256). */
async function accessToken(serviceAccountKey: string, timeoutMs?: number): Promise<string> {
  let account: { client_email?: string; private_key?: string; token_uri?: string };
  try {
    account = JSON.parse(serviceAccountKey);
  } catch {
    throw new GoogleKeyRejectedError(
      'the Google rotation credentials are not a service-account JSON key. Fix: store the JSON key file as the secret\'s "value".',
    );
  }
  if (!account.client_email || !account.private_key || !account.token_uri) {
    throw new GoogleKeyRejectedError(
      'the Google rotation credentials lack client_email, private_key or token_uri. Fix: store the whole JSON key file.',
    );
  }
  const now = Math.floor(Date.now() / 1000);
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const unsigned = `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode({
    iss: account.client_email,
    scope: 'https://www.googleapis.com/auth/cloud-platform',
    aud: account.token_uri,
    iat: now,
    exp: now + 600,
  })}`;
  const signature = createSign('RSA-SHA256').update(unsigned).sign(account.private_key, 'base64url');
  const body = (await callProviderOk('get a Google access token', account.token_uri, {
    method: 'POST',
    timeoutMs,
    form: { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: `${unsigned}.${signature}` },
  })) as { access_token?: string };
  if (!body?.access_token) throw new ProviderError('get a Google access token', undefined, 'the answer has no token');
  return body.access_token;
}

export function googleApiKeyRotator(options: GoogleRotatorOptions): Rotator {
  const base = `${options.apiKeysUrl ?? GOOGLE_API_KEYS_URL}/v2`;
  const keysPath = `projects/${options.cloudProject}/locations/global/keys`;
  const { timeoutMs } = options;
  const auth = async () => ({
    authorization: `Bearer ${await accessToken(await options.serviceAccountKey(), timeoutMs)}`,
  });

  async function getKey(name: string, headers: Record<string, string>): Promise<GoogleKey | undefined> {
    const { status, body } = await callProvider('read a Google API key', `${base}/${name}`, { headers, timeoutMs });
    if (status === 404) return undefined;
    if (!isSuccess(status)) throw new ProviderError('read a Google API key', status);
    const key = body as GoogleKey;
    return key.deleteTime ? undefined : key;
  }

  async function keyString(name: string, headers: Record<string, string>): Promise<string> {
    const body = (await callProviderOk('read a Google API key string', `${base}/${name}/keyString`, {
      headers,
      timeoutMs,
    })) as { keyString?: string };
    if (!body?.keyString) throw new ProviderError('read a Google API key string', undefined, 'the answer has no key');
    return body.keyString;
  }

  async function settle(operation: Operation, what: string, headers: Record<string, string>): Promise<void> {
    let current = operation;
    for (let poll = 0; !current.done; poll++) {
      if (poll >= OPERATION_POLLS) throw new ProviderError(what, undefined, 'the operation did not finish in time');
      await new Promise((resolve) => setTimeout(resolve, options.pollIntervalMs ?? 1000));
      current = (await callProviderOk(what, `${base}/${current.name}`, { headers, timeoutMs })) as Operation;
    }
    if (current.error) throw new ProviderError(what, undefined, `the operation failed (code ${current.error.code})`);
  }

  async function restrictionsOf(current: SecretValue, headers: Record<string, string>): Promise<unknown> {
    if (!current.keyId)
      throw new GoogleKeyRejectedError(
        'the current value has no keyId, so its restrictions cannot be copied. Fix: set {"value","keyId"} (README "Credentials").',
      );
    const key = await getKey(current.keyId, headers);
    if (!key)
      throw new GoogleKeyRejectedError(
        'the current key no longer exists at Google. Fix: set a working key out of band (README "Credentials").',
      );
    return key.restrictions ?? {};
  }

  async function remove(name: string, headers: Record<string, string>): Promise<void> {
    const { status, body } = await callProvider('delete a Google API key', `${base}/${name}`, {
      method: 'DELETE',
      headers,
      timeoutMs,
    });
    if (status === 404) return; // deleted already: a re-run after a crash
    if (!isSuccess(status)) throw new ProviderError('delete a Google API key', status);
    await settle(body as Operation, 'delete a Google API key', headers);
  }

  return {
    async create({ current, token }) {
      const headers = await auth();
      const name = `${keysPath}/${rotatedKeyId(token)}`;
      if (!(await getKey(name, headers))) {
        const restrictions = await restrictionsOf(current, headers);
        const { status, body } = await callProvider(
          'create a Google API key',
          `${base}/${keysPath}?keyId=${rotatedKeyId(token)}`,
          {
            method: 'POST',
            headers,
            timeoutMs,
            body: { displayName: `MiKO rotated ${token.slice(0, 8)}`, restrictions },
          },
        );
        // 409: an earlier run created it between our read and our create; it is ours to reuse.
        if (status !== 409) {
          if (!isSuccess(status)) throw new ProviderError('create a Google API key', status);
          await settle(body as Operation, 'create a Google API key', headers);
        }
      }
      return { value: await keyString(name, headers), keyId: name };
    },
    async set({ current, pending }) {
      const headers = await auth();
      const restrictions = await restrictionsOf(current, headers);
      const { status, body } = await callProvider(
        'restrict a Google API key',
        `${base}/${pending.keyId}?updateMask=restrictions`,
        {
          method: 'PATCH',
          headers,
          timeoutMs,
          body: { restrictions },
        },
      );
      if (status === 404)
        throw new GoogleKeyRejectedError(
          'the pending key no longer exists at Google. Fix: start a new rotation (npm run rotate).',
        );
      if (!isSuccess(status)) throw new ProviderError('restrict a Google API key', status);
      await settle(body as Operation, 'restrict a Google API key', headers);
    },
    async test(pending) {
      // The key in Google's header, never in the URL (URLs end up in logs).
      const { status } = await callProvider('prove a Google API key', options.testUrl ?? GOOGLE_KEY_TEST_URL, {
        headers: { referer: options.testReferer, 'x-goog-api-key': pending.value },
        timeoutMs,
      });
      if (status === 400 || status === 401 || status === 403)
        throw new GoogleKeyRejectedError(`Google rejected the pending key (HTTP ${status})`);
      if (!isSuccess(status)) throw new ProviderError('prove a Google API key', status);
    },
    async retire({ keep, retiring }) {
      const headers = await auth();
      // Compared by key id: Google answers with the project's number where we may have written its id.
      const kept = new Set(keep.flatMap((secret) => (secret.keyId ? [keyIdOf(secret.keyId)] : [])));
      const listed = (await callProviderOk('list Google API keys', `${base}/${keysPath}`, { headers, timeoutMs })) as {
        keys?: GoogleKey[];
      };
      const ours = (listed?.keys ?? [])
        .map((k) => keyIdOf(k.name))
        .filter((id) => id.startsWith(ROTATED_KEY_ID_PREFIX));
      const doomed = new Set(
        [...ours, ...(retiring?.keyId ? [keyIdOf(retiring.keyId)] : [])].filter((id) => !kept.has(id)),
      );
      for (const id of doomed) await remove(`${keysPath}/${id}`, headers);
    },
  };
}
