import { RotationStep, runRotationStep } from '../../lambda/rotation/engine';
import { supabaseSecretKeyRotator } from '../../lambda/rotation/rotators/supabase-secret-key';
import { jsonLogger } from '../../lambda/shared/log';
import { FakeSecretsManager, oneAttemptClient } from '../../tools/stand-ins/secrets-manager';
import { FakeSupabase, SupabaseOperation } from '../../tools/stand-ins/supabase';
import { rotationInvariantSuite, SECRET_NAME } from './rotation-suite';

/** A hanging Supabase fails the step in the test's time, not Lambda's; long enough that a loaded CI runner's local answer never times out. */
const TEST_TIMEOUT_MS = 1_000;

async function supabaseFixture() {
  const supabase = new FakeSupabase();
  const url = await supabase.start();
  const rotator = supabaseSecretKeyRotator({
    managementApiUrl: url,
    projectRef: supabase.projectRef,
    projectUrl: url,
    managementToken: async () => supabase.managementToken,
    timeoutMs: TEST_TIMEOUT_MS,
  });
  return { supabase, rotator, initial: supabase.addKey('set_out_of_band') };
}

// Each step's provider call fails in turn, with each failure mode Supabase has.
const FAILURES: Record<RotationStep, [SupabaseOperation, 'error500' | 'hang' | 'reject']> = {
  createSecret: ['create', 'error500'],
  setSecret: ['list', 'hang'],
  testSecret: ['prove', 'reject'],
  finishSecret: ['revoke', 'error500'],
};

rotationInvariantSuite('Supabase secret key', async () => {
  const { supabase, rotator, initial } = await supabaseFixture();
  return {
    initialSecretString: JSON.stringify(initial),
    rotator,
    accepts: async (value) => supabase.accepts(value.value),
    failProviderAt: (step) => supabase.failNext(...FAILURES[step]),
    throttleProviderAtCreate: () => supabase.failNext('create', 'throttle'),
    mintedValues: () => supabase.mintedValues(),
    // Current and previous stay live while consumers switch; anything older is revoked.
    extraInvariants: () => expect(supabase.liveKeys().length).toBeLessThanOrEqual(3),
    close: () => supabase.stop(),
  };
});

describe('Supabase secret key rotation, specifics', () => {
  it('revokes a key only once it is two rotations old, and cleans up keys of abandoned rotations', async () => {
    const fake = new FakeSecretsManager();
    const endpoint = await fake.start();
    const sm = oneAttemptClient(endpoint);
    const { supabase, rotator, initial } = await supabaseFixture();
    fake.createSecret(SECRET_NAME, JSON.stringify(initial), async () => undefined);
    const log = jsonLogger({}, () => undefined);
    const run = async (token: string, steps: RotationStep[]) => {
      for (const Step of steps)
        await runRotationStep({ Step, SecretId: SECRET_NAME, ClientRequestToken: token }, { sm, rotator, log });
    };
    const all: RotationStep[] = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'];
    try {
      await run(fake.beginRotation(SECRET_NAME), all);
      expect(supabase.accepts(initial.value)).toBe(true); // AWSPREVIOUS still works after one rotation
      await run(fake.beginRotation(SECRET_NAME), ['createSecret']); // abandoned: its key exists at Supabase
      await run(fake.beginRotation(SECRET_NAME), all);
      expect(supabase.accepts(initial.value)).toBe(false); // two rotations old: revoked
      expect(supabase.liveKeys()).toHaveLength(2); // AWSCURRENT and AWSPREVIOUS only
    } finally {
      sm.destroy();
      await supabase.stop();
      await fake.stop();
    }
  });
});
