/** The one `--env` check every command uses (scripts/lib/command.ts): a name it knows, or a usage error with the fix. */
import { ENVIRONMENT_NAMES } from '../../lib/config/schema';
import { environmentFlag, optionalEnvironmentFlag, UsageError } from '../../scripts/lib/command';

const FIX = 'Fix: --env staging or --env production.';

describe('environmentFlag', () => {
  it.each([...ENVIRONMENT_NAMES])('returns %s', (name) => {
    expect(environmentFlag(name)).toBe(name);
    expect(optionalEnvironmentFlag(name)).toBe(name);
  });

  it('refuses a missing --env with a usage error that gives the fix', () => {
    expect(() => environmentFlag(undefined)).toThrow(UsageError);
    expect(() => environmentFlag(undefined)).toThrow(`--env is missing. ${FIX}`);
  });

  it('refuses an unknown or empty name, quoting what was given', () => {
    expect(() => environmentFlag('prod')).toThrow(UsageError);
    expect(() => environmentFlag('prod')).toThrow(`--env is "prod". ${FIX}`);
    expect(() => environmentFlag('Production')).toThrow(`--env is "Production". ${FIX}`);
    expect(() => environmentFlag('')).toThrow(`--env is "". ${FIX}`);
  });
});

describe('optionalEnvironmentFlag', () => {
  it('leaves a missing --env undefined (every environment), and refuses an unknown one', () => {
    expect(optionalEnvironmentFlag(undefined)).toBeUndefined();
    expect(() => optionalEnvironmentFlag('qa')).toThrow(`--env is "qa". ${FIX}`);
  });
});
