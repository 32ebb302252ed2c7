/** Which environments a synth builds: `npm run synth -- --env <name>` sets the `miko:environments` context. */
import { EnvironmentSelectionError, selectedEnvironments } from '../lib/stage-ids';

describe('the miko:environments context', () => {
  it('selects both environments when absent or empty', () => {
    expect(selectedEnvironments(undefined)).toEqual(['staging', 'production']);
    expect(selectedEnvironments('')).toEqual(['staging', 'production']);
  });

  it('selects the named environments only, in the order given', () => {
    expect(selectedEnvironments('production')).toEqual(['production']);
    expect(selectedEnvironments('production, staging')).toEqual(['production', 'staging']);
  });

  it('refuses a name the app does not have, naming it and the fix', () => {
    expect(() => selectedEnvironments('staging,qa')).toThrow(EnvironmentSelectionError);
    expect(() => selectedEnvironments('staging,qa')).toThrow(
      '--env qa is not an environment. Fix: use staging or production.',
    );
  });
});
