/**
 * A random value from Secrets Manager's GetRandomPassword. Where the value has a consumer that checks it (a
 * webhook receiver), `set` tells the consumer to accept the current AND the pending value, so callers holding
 * either keep working during the switch; the next rotation's `set` drops the one that is then two rotations old.
 */
import { GetRandomPasswordCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Rotator } from '../engine';

/** 48 characters of letters and digits: ~285 bits, and safe in a header, a URL or a JSON string without escaping. */
export const GENERATED_SECRET_LENGTH = 48;

/** Whoever checks a generated value. */
export interface GeneratedSecretConsumer {
  /** From now on accept exactly these values. */
  acceptOnly(values: readonly string[]): Promise<void>;
  /** Whether the consumer accepts `value` now. */
  accepts(value: string): Promise<boolean>;
}

export class GeneratedSecretRejectedError extends Error {
  override readonly name = 'GeneratedSecretRejectedError';
}

export function generatedRotator(sm: SecretsManagerClient, consumer?: GeneratedSecretConsumer): Rotator {
  return {
    async create() {
      const { RandomPassword } = await sm.send(
        new GetRandomPasswordCommand({
          PasswordLength: GENERATED_SECRET_LENGTH,
          ExcludePunctuation: true,
          IncludeSpace: false,
          RequireEachIncludedType: true,
        }),
      );
      if (!RandomPassword || RandomPassword.length !== GENERATED_SECRET_LENGTH)
        throw new GeneratedSecretRejectedError('GetRandomPassword returned no usable value');
      return { value: RandomPassword };
    },
    async set({ current, pending }) {
      await consumer?.acceptOnly([current.value, pending.value]);
    },
    async test(pending) {
      if (pending.value.length !== GENERATED_SECRET_LENGTH)
        throw new GeneratedSecretRejectedError('the pending value has the wrong length');
      if (consumer && !(await consumer.accepts(pending.value)))
        throw new GeneratedSecretRejectedError('the consumer does not accept the pending value');
    },
    async retire() {
      // Nothing lives at a provider: the consumer forgets the old value at the next `set`.
    },
  };
}
