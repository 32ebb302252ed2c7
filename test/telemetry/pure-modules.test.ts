/** The collector's pure parts: redaction against hostile text, fingerprints, the edge payload hash. */
import { createHash } from 'node:crypto';
import { handler as payloadHash } from '../../lambda/telemetry-edge/payload-hash';
import { fingerprintOf, fileNameOf, normalizeMessage } from '../../lambda/telemetry/fingerprint';
import { redactPath, redactText, redactUrl } from '../../lambda/telemetry/redact';

describe('redaction', () => {
  it.each([
    ['an e-mail', 'no slot for maria.garcia+test@clinic.example.org', 'no slot for [email]'],
    ['a US phone number', 'call (310) 555-0199 now', 'call [phone] now'],
    ['an international phone number', 'sms to +44 20 7946 0958 failed', 'sms to [phone] failed'],
    ['an MRN-like digit run', 'record 004512399 missing', 'record [number] missing'],
    ['a date of birth', 'dob 1980-01-01 or 01/02/1980 invalid', 'dob [date] or [date] invalid'],
    [
      'a JWT',
      `bearer ${['eyJhbGciOiJIUzI1NiJ9', 'eyJzdWIiOiIxMjM0NTY3ODkwIn0', 'abcdefghijklmnop'].join('.')}`,
      'bearer [jwt]',
    ],
    ['a Google API key', `key=${'AI' + 'za'}SyA1234567890abcdefghijklmnopqrstuv`, 'key=[key]'],
    ['an AWS access key id', `id ${'AK' + 'IA'}IOSFODNN7EXAMPLE`, 'id [key]'],
    ['a long random token', 'session 9f8e7d6c5b4a39281706f5e4d3c2b1a0ffeeddcc', 'session [key]'],
    [
      'a URL query in text',
      'GET https://api.example.com/v1/patients?name=Jane+Doe#x failed',
      'GET https://api.example.com/v1/patients failed',
    ],
  ])('%s', (_what, input, expected) => {
    expect(redactText(input)).toBe(expected);
  });

  it('keeps what a bug report needs: line numbers, hashed file names, property names', () => {
    const frame =
      "TypeError: Cannot read properties of undefined (reading 'slot') at https://app.example.com/assets/index-c63af811.js:1:23456";
    expect(redactText(frame)).toBe(frame);
  });

  it('reduces URLs to origin and path, ids and contact data removed from the path', () => {
    expect(redactUrl('https://app.example.com/patients/3f2504e0-4f89-11d3-9a0c-0305e82c3301/notes?x=1#top')).toBe(
      'https://app.example.com/patients/:id/notes',
    );
    expect(redactUrl('data:image/png;base64,iVBORw0KGgo=')).toBe('data:');
    expect(redactUrl('blob:https://app.example.com/5d1c')).toBe('blob:');
    expect(redactUrl('inline')).toBe('inline');
    expect(redactPath('/confirm/jane%40example.com/42')).toBe('/confirm/[email]/:id');
  });
});

describe('fingerprints', () => {
  const stack = (file: string, line: number) =>
    `Error: x\n    at submit (https://app.example.com/assets/${file}:${line}:10)\n    at onClick (https://app.example.com/assets/${file}:${line + 5}:3)`;

  it('ignore the build hash, line and column, and the numbers in a message', () => {
    expect(fingerprintOf('Booking 42 failed', stack('index-c63af811.js', 1))).toBe(
      fingerprintOf('Booking 7 failed', stack('index-0badc0de.js', 9)),
    );
    expect(fileNameOf('https://app.example.com/assets/index-c63af811.js')).toBe('index.js');
    expect(normalizeMessage(`Unexpected token '<' in "{<html>}" at 0x1f`)).toBe(`Unexpected token "…" in "…" at HEX`);
  });

  it('differ for a different message or a different function', () => {
    const base = fingerprintOf('Booking failed', stack('index-c63af811.js', 1));
    expect(fingerprintOf('Payment failed', stack('index-c63af811.js', 1))).not.toBe(base);
    expect(fingerprintOf('Booking failed', stack('index-c63af811.js', 1).replace('submit', 'cancel'))).not.toBe(base);
    expect(base).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('edge payload hash', () => {
  const request = (data: string, inputTruncated = false) => ({
    method: 'POST',
    headers: {},
    body: { data: Buffer.from(data).toString('base64'), encoding: 'base64' as const, inputTruncated },
  });

  it('adds the SHA-256 of the body that OAC signs for the function URL', async () => {
    const answer = await payloadHash({ Records: [{ cf: { request: request('{"csp-report":{}}') } }] });
    expect('headers' in answer && (answer as any).headers['x-amz-content-sha256'][0].value).toBe(
      createHash('sha256').update('{"csp-report":{}}').digest('hex'),
    );
  });

  it('answers 413 for a body CloudFront truncated', async () => {
    expect(await payloadHash({ Records: [{ cf: { request: request('x', true) } }] })).toMatchObject({ status: '413' });
  });
});
