import {
  generatedRotator,
  GeneratedSecretConsumer,
  GENERATED_SECRET_LENGTH,
} from '../../lambda/rotation/rotators/generated';
import { RotationStep } from '../../lambda/rotation/engine';
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
