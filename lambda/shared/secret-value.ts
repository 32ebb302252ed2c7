/**
 * The shape of every MiKO secret's SecretString: JSON with the credential under `value`, plus what its rotator
 * needs to find it again at the provider (a key id). One shape, so every consumer reads a secret the same way.
 */
export interface SecretValue {
  /** The credential itself. */
  readonly value: string;
  /** The provider's id for it (Supabase API key id, Google key resource name), when the provider has one. */
  readonly keyId?: string;
}

export class MalformedSecretError extends Error {
  override readonly name = 'MalformedSecretError';
}

/** Parses a SecretString; the error never repeats the string, which may be a credential. */
export function parseSecretValue(secretString: string | undefined, what: string): SecretValue {
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString ?? '');
  } catch {
    throw new MalformedSecretError(`${what} is not JSON. Fix: store {"value":"…"} (docs: README "Credentials").`);
  }
  const candidate = parsed as Partial<SecretValue> | null;
  if (!candidate || typeof candidate.value !== 'string' || candidate.value.length === 0) {
    throw new MalformedSecretError(
      `${what} has no non-empty "value" field. Fix: store {"value":"…"} (docs: README "Credentials").`,
    );
  }
  if (candidate.keyId !== undefined && typeof candidate.keyId !== 'string') {
    throw new MalformedSecretError(
      `${what} has a "keyId" that is not a string. Fix: store the provider's key id as a string.`,
    );
  }
  return { value: candidate.value, ...(candidate.keyId ? { keyId: candidate.keyId } : {}) };
}

export function serializeSecretValue(secret: SecretValue): string {
  return JSON.stringify(secret);
}
