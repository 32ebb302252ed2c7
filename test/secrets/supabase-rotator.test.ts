/**
 * The Supabase rotator's calls against the Supabase stand-in, one method at a time: the key it makes (name,
 * description), which keys it revokes and which it never touches, and the exact errors on-call reads.
 */
import { Rotator } from '../../lambda/rotation/engine';
import { ProviderError } from '../../lambda/rotation/rotators/provider-http';
import {
  rotatedKeyName,
  SupabaseKeyRejectedError,
  supabaseSecretKeyRotator,
} from '../../lambda/rotation/rotators/supabase-secret-key';
import { FakeSupabase } from '../../tools/stand-ins/supabase';

let supabase: FakeSupabase;
let rotator: Rotator;
let initial: { value: string; keyId: string };

beforeEach(async () => {
  supabase = new FakeSupabase();
  const url = await supabase.start();
  rotator = supabaseSecretKeyRotator({
    managementApiUrl: url,
    projectRef: supabase.projectRef,
    projectUrl: url,
    managementToken: async () => supabase.managementToken,
    timeoutMs: 1_000,
  });
  initial = supabase.addKey('set_out_of_band');
});

afterEach(() => supabase.stop());

async function rejection(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

it('names a key after the token in lower case, keeping only letters and digits', () => {
  expect(rotatedKeyName('AB-cd-12')).toBe('miko_rotated_abcd12');
});

describe('create', () => {
  it('makes a secret key named after the token, described as rotated, and finds it again on a re-run', async () => {
    const token = 'F00D-beef';
    const made = await rotator.create({ current: initial, token });
    expect(supabase.liveKeys()).toEqual(['set_out_of_band', 'miko_rotated_f00dbeef']);
    expect(supabase.descriptionOf('miko_rotated_f00dbeef')).toBe('rotated by Secrets Manager (MiKO); do not edit');
    expect(supabase.accepts(made.value)).toBe(true);
    await expect(rotator.create({ current: initial, token })).resolves.toEqual(made);
  });

  it.each([
    ['list', 'error500', 'list Supabase API keys failed with HTTP 500'],
    ['list', 'hang', 'list Supabase API keys failed: timed out'],
    ['list', 'malformed', 'list Supabase API keys failed: unexpected answer'],
    ['create', 'error500', 'create a Supabase API key failed with HTTP 500'],
    ['create', 'hang', 'create a Supabase API key failed: timed out'],
    ['create', 'malformed', 'create a Supabase API key failed: the answer has no key'],
  ] as const)('%s answering %s: "%s"', async (operation, mode, message) => {
    supabase.failNext(operation, mode);
    const error = await rejection(rotator.create({ current: initial, token: 't1' }));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.message).toBe(message);
  });
});

describe('set', () => {
  it('passes while the pending key is live, and refuses once it is gone', async () => {
    const pending = await rotator.create({ current: initial, token: 't1' });
    await expect(rotator.set({ current: initial, pending })).resolves.toBeUndefined();
    await rotator.retire({ keep: [initial], retiring: undefined }); // revokes the rotated key
    const error = await rejection(rotator.set({ current: initial, pending }));
    expect(error).toBeInstanceOf(SupabaseKeyRejectedError);
    expect(error.name).toBe('SupabaseKeyRejectedError');
    expect(error.message).toBe(
      'the pending key no longer exists at Supabase. Fix: start a new rotation (npm run rotate).',
    );
  });
});

describe('test', () => {
  it('passes for a live secret key', async () => {
    await expect(rotator.test(initial)).resolves.toBeUndefined();
  });

  it.each([
    ['a revoked key (401)', () => ({ value: 'sb_secret_revoked', keyId: 'x' }), 401],
    ['a publishable key (403)', () => supabase.addKey('anon', 'publishable'), 403],
  ])('rejects %s as the key, not the provider', async (_what, key, status) => {
    const error = await rejection(rotator.test(key()));
    expect(error).toBeInstanceOf(SupabaseKeyRejectedError);
    expect(error.message).toBe(`Supabase rejected the pending key (HTTP ${status})`);
  });

  it.each([
    ['error500', 'prove a Supabase secret key failed with HTTP 500'],
    ['throttle', 'prove a Supabase secret key failed with HTTP 429'],
    ['hang', 'prove a Supabase secret key failed: timed out'],
  ] as const)('the project API answering %s: "%s"', async (mode, message) => {
    supabase.failNext('prove', mode);
    const error = await rejection(rotator.test(initial));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.message).toBe(message);
  });
});

describe('retire', () => {
  it('revokes the retiring key and abandoned rotated keys; never kept keys or keys it did not make', async () => {
    const foreign = supabase.addKey('backend_service');
    const older = supabase.addKey('older_out_of_band');
    const abandoned = await rotator.create({ current: initial, token: 'abandoned' });
    const pending = await rotator.create({ current: initial, token: 'pending' });
    await rotator.retire({ keep: [initial, pending], retiring: older });
    expect(supabase.liveKeys().sort()).toEqual(['backend_service', 'miko_rotated_pending', 'set_out_of_band']);
    expect(supabase.accepts(abandoned.value)).toBe(false);
    expect(supabase.accepts(foreign.value)).toBe(true);
  });

  it('a key revoked meanwhile (404) is what it wanted: no error', async () => {
    await rotator.create({ current: initial, token: 't1' });
    supabase.failNext('revoke', 'gone');
    await expect(rotator.retire({ keep: [initial], retiring: undefined })).resolves.toBeUndefined();
    expect(supabase.liveKeys()).toEqual(['set_out_of_band']);
  });

  it.each([
    ['error500', 'revoke a Supabase API key failed with HTTP 500'],
    ['reject', 'revoke a Supabase API key failed with HTTP 401'],
    ['hang', 'revoke a Supabase API key failed: timed out'],
  ] as const)('revoke answering %s: "%s"', async (mode, message) => {
    await rotator.create({ current: initial, token: 't1' });
    supabase.failNext('revoke', mode);
    const error = await rejection(rotator.retire({ keep: [initial], retiring: undefined }));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.message).toBe(message);
  });
});
