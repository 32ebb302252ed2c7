/** The collector's pure parts: redaction against hostile text, fingerprints, the edge payload hash. */
import { createHash } from 'node:crypto';
import { handler as payloadHash } from '../../lambda/telemetry-edge/payload-hash';
import { fingerprintOf, fileNameOf, normalizeMessage } from '../../lambda/telemetry/fingerprint';
import { createRedactor } from '../../lambda/telemetry/redact';
import { EMPTY_VOCABULARY } from '../../lambda/telemetry/vocabulary';
import { TEST_VOCABULARY } from './support';

describe('redaction', () => {
  const redact = createRedactor(TEST_VOCABULARY);

  it.each([
    ['an e-mail', 'no slot for maria.garcia+test@clinic.example.org', 'no slot for [email]'],
    ['an obfuscated e-mail', 'no slot for max(at)gmx.de or anna [at] web [dot] de', 'no slot for [email] or [email]'],
    ['a US phone number', 'call (310) 555-0199 today', 'call [phone] [redacted]'],
    ['an international phone number', 'sms to +44 20 7946 0958 failed', '[redacted] to [phone] failed'],
    ['a digit run', 'record 004512399 missing', '[redacted] [number] missing'],
    ['dates', 'dob 1980-01-01 or 01/02/1980 or 12. März 1985', '[redacted] [date] or [date] or [date]'],
    ['an IBAN', 'DE89 3704 0044 0532 0130 00', '[iban]'],
    [
      'a JWT',
      `bearer ${['eyJhbGciOiJIUzI1NiJ9', 'eyJzdWIiOiIxMjM0NTY3ODkwIn0', 'abcdefghijklmnop'].join('.')}`,
      '[redacted] [jwt]',
    ],
    ['a Google API key', `key=${'AI' + 'za'}SyA1234567890abcdefghijklmnopqrstuv`, 'key=[key]'],
    ['a long random token', 'token 9f8e7d6c5b4a39281706f5e4d3c2b1a0ffeeddcc', 'token [key]'],
    [
      'a URL in text: its query, and a path that is no route of the app',
      'GET https://api.example.com/v1/patients?name=Jane+Doe#x failed',
      'GET https://api.example.com/:id/patients failed',
    ],
    ['a name and a street, as one placeholder', 'Buchung für Anna Schmidt, Hauptstraße 12', '[redacted] [number]'],
  ])('%s', (_what, input, expected) => {
    expect(redact.text(input)).toBe(expected);
  });

  it('keeps what a bug report needs: error classes, engine wording, bundle words, code positions', () => {
    const frame =
      "TypeError: Cannot read properties of undefined (reading 'slot') at https://app.example.com/assets/index-c63af811.js:1:23456";
    expect(redact.text(frame)).toBe(frame);
  });

  it("keeps a frame's function name and position, and removes a name in the location", () => {
    const stack = [
      'Error: Booking failed',
      '    at onClick (https://app.example.com/assets/index-c63af811.js:1:234)',
      '    at Anna (https://app.example.com/booking/Anna%20Schmidt:3:4)',
      'dispatch@https://app.example.com/assets/vendor-0123abcd.js:2:100',
    ].join('\n');
    expect(redact.stack(stack)).toBe(
      [
        'Error: Booking failed',
        '    at onClick (https://app.example.com/assets/index-c63af811.js:1:234)',
        '    at [redacted] (https://app.example.com/booking/:bookingId:[number]:[number])',
        'dispatch@https://app.example.com/assets/vendor-0123abcd.js:2:100',
      ].join('\n'),
    );
  });

  it("reduces URLs to scheme, host and the app's route pattern; ids, names and queries go", () => {
    expect(redact.url('https://app.example.com/booking/3f2504e0-4f89-11d3-9a0c-0305e82c3301?x=1#top')).toBe(
      'https://app.example.com/booking/:bookingId',
    );
    expect(redact.pagePath('/booking/Anna%20Schmidt')).toBe('/booking/:bookingId');
    expect(redact.pagePath('/search/Anna Schmidt')).toBe('/:id/:id');
    expect(redact.pagePath('/patients/jane%40example.com/42')).toBe('/patients/:id/:id');
    expect(redact.url('http://192.168.1.20:8080/x.js')).toBe('http://[ip]:8080/:id');
    expect(redact.url('data:image/png;base64,iVBORw0KGgo=')).toBe('data:');
    expect(redact.url('blob:https://app.example.com/5d1c')).toBe('blob:');
    expect(redact.url('inline')).toBe('inline');
  });

  it('matches a route only with as many segments as the route has', () => {
    expect(redact.pagePath('/booking/3f25/extra')).toBe('/booking/:id/:id');
    expect(redact.pagePath('/booking')).toBe('/booking');
  });

  it("judges a Firefox frame's function name part by part, whatever the digits of its line and column", () => {
    expect(redact.stack('Qe.e@https://app.example.com/assets/vendor-0123abcd.js:12:3456')).toBe(
      '[redacted].[redacted]@https://app.example.com/assets/vendor-0123abcd.js:12:3456',
    );
  });

  it('takes a dash as part of a name only when it stands alone between the words ("Jean-Luc")', () => {
    expect(redact.text('Schmidt- Booking failed')).toBe('[redacted]- Booking failed');
  });

  it('caps after redaction, never inside a placeholder', () => {
    expect(redact.capped('token Anna Schmidt', 10)).toBe('token …');
    expect(redact.capped('no slot for this patient', 12)).toBe('no slot for …');
  });

  it("knows nothing of a release it was not given: only the engine's words and the platform's paths", () => {
    const bare = createRedactor(EMPTY_VOCABULARY);
    expect(bare.text('Booking failed: no slot for this patient')).toBe(
      '[redacted] failed: no [redacted] for this [redacted]',
    );
    expect(bare.pagePath('/booking/42')).toBe('/:id/:id');
    expect(bare.pagePath('/config.json')).toBe('/config.json');
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
