import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  generatedRotator,
  GeneratedSecretConsumer,
  GeneratedSecretRejectedError,
  GENERATED_SECRET_LENGTH,
} from '../../lambda/rotation/rotators/generated';
import { RotationStep } from '../../lambda/rotation/engine';
import { FakeSecretsManager, oneAttemptClient } from '../../tools/stand-ins/secrets-manager';
import { rotationInvariantSuite } from './rotation-suite';

/** A webhook receiver that checks a shared secret and can fail the way a real one does. */
class ConsumerStandIn implements GeneratedSecretConsumer {
  accepted = new Set<string>();
  failNextPush = false;
  failNextCheck = false;
  constructor(initial: string) {
    this.accepted.add(initial);
  }
  async acceptOnly(values: readonly string[]) {
    if (this.failNextPush) {
      this.failNextPush = false;
      throw new Error('consumer answered 500');
    }
    this.accepted = new Set(values);
  }
  async accepts(value: string) {
    if (this.failNextCheck) {
      this.failNextCheck = false;
      return false;
    }
    return this.accepted.has(value);
  }
}

const INITIAL = 'A'.repeat(GENERATED_SECRET_LENGTH);

rotationInvariantSuite('generated secret', async (sm, fake) => {
  const consumer = new ConsumerStandIn(INITIAL);
  const minted: string[] = [];
  const rotator = generatedRotator(sm, consumer);
  const create = rotator.create.bind(rotator);
  return {
    initialSecretString: JSON.stringify({ value: INITIAL }),
    rotator: {
      ...rotator,
      create: async (input) => {
        const made = await create(input);
        minted.push(made.value);
        return made;
      },
    },
    accepts: (value) => consumer.accepts(value.value),
    failProviderAt(step: RotationStep) {
      if (step === 'createSecret') fake.failCall('GetRandomPassword');
      else if (step === 'setSecret') consumer.failNextPush = true;
      else consumer.failNextCheck = true; // testSecret and finishSecret (which re-tests) ask the consumer
    },
    throttleProviderAtCreate: () => fake.throttleCall('GetRandomPassword'),
    mintedValues: () => minted,
    close: async () => undefined,
  };
});

describe('generated rotator, specifics', () => {
  let fake: FakeSecretsManager;
  let sm: SecretsManagerClient;

  beforeEach(async () => {
    fake = new FakeSecretsManager();
    sm = oneAttemptClient(await fake.start());
  });

  afterEach(async () => {
    sm.destroy();
    await fake.stop();
  });

  it('makes 48 letters and digits, with at least one upper case letter, lower case letter and digit', async () => {
    const rotator = generatedRotator(sm);
    for (let i = 0; i < 5; i++) {
      const { value } = await rotator.create({ current: { value: INITIAL }, token: `t${i}` });
      expect(value).toMatch(/^[A-Za-z0-9]{48}$/);
      expect(value).toMatch(/[A-Z]/);
      expect(value).toMatch(/[a-z]/);
      expect(value).toMatch(/[0-9]/);
    }
  });

  it('refuses an answer without a value', async () => {
    fake.answerEmptyNext('GetRandomPassword');
    const error = await generatedRotator(sm)
      .create({ current: { value: INITIAL }, token: 't' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GeneratedSecretRejectedError);
    expect(error).toMatchObject({
      name: 'GeneratedSecretRejectedError',
      message: 'GetRandomPassword returned no usable value',
    });
  });

  it('refuses a value of any other length than the one asked for', async () => {
    fake.answerNext('GetRandomPassword', { RandomPassword: 'A1b'.repeat(15) + 'A1' });
    await expect(generatedRotator(sm).create({ current: { value: INITIAL }, token: 't' })).rejects.toThrow(
      new GeneratedSecretRejectedError('GetRandomPassword returned no usable value'),
    );
  });

  it('tests the length, then asks the consumer', async () => {
    const consumer = new ConsumerStandIn(INITIAL);
    await expect(generatedRotator(sm).test({ value: 'A'.repeat(47) })).rejects.toThrow(
      new GeneratedSecretRejectedError('the pending value has the wrong length'),
    );
    await expect(generatedRotator(sm, consumer).test({ value: 'B'.repeat(48) })).rejects.toThrow(
      new GeneratedSecretRejectedError('the consumer does not accept the pending value'),
    );
    await expect(generatedRotator(sm, consumer).test({ value: INITIAL })).resolves.toBeUndefined();
  });
});
