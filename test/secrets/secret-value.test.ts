import { parseSecretValue, serializeSecretValue } from '../../lambda/shared/secret-value';

describe('secret value shape', () => {
  it('round-trips {"value","keyId"}', () => {
    const secret = { value: 'sb_secret_abc', keyId: 'k1' };
    expect(parseSecretValue(serializeSecretValue(secret), 'x')).toEqual(secret);
    expect(parseSecretValue('{"value":"v"}', 'x')).toEqual({ value: 'v' });
  });

  it.each([
    ['not JSON', 'sb_secret_raw-value-pasted-bare', /is not JSON\. Fix:/],
    ['no value', '{"secret":"sb_secret_in-the-wrong-field"}', /no non-empty "value" field\. Fix:/],
    ['a non-string keyId', '{"value":"sb_secret_x1","keyId":42}', /"keyId" that is not a string\. Fix:/],
  ])('refuses %s with a fix and without repeating the string', (_, raw, message) => {
    let error: Error | undefined;
    try {
      parseSecretValue(raw, 'AWSCURRENT');
    } catch (caught) {
      error = caught as Error;
    }
    expect(error?.message).toMatch(message);
    expect(error?.message).not.toContain('sb_secret_');
  });
});
