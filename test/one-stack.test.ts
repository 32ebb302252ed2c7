/**
 * The stacks that template tests synthesize on their own (test/support/one-stack.ts) are the whole app's, resource
 * for resource, in both environments: no other stack adds to them, so a unit test of one stack reads what ships.
 */
import { template } from './support/assembly';
import { backupsTemplate, dataTemplate, healthTemplate } from './support/one-stack';

describe.each([
  ['production', 'Production'],
  ['staging', 'Staging'],
] as const)('%s', (env, stage) => {
  it.each([
    ['Data', dataTemplate],
    ['Backups', backupsTemplate],
    ['Health', healthTemplate],
  ] as const)("%s on its own has the whole app's resources and parameters", (part, alone) => {
    const own = alone(env).toJSON();
    const whole = template(stage, part).toJSON();
    expect(Object.keys(own.Resources)).not.toHaveLength(0);
    expect(own.Resources).toEqual(whole.Resources);
    expect(own.Parameters).toEqual(whole.Parameters);
  });
});
