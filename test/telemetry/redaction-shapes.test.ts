/**
 * Each shape of patient data and credentials the redactor names, in each spelling its pattern allows: the exact
 * output, so a narrowed pattern fails here even where the allowlist would still hide the words it let through.
 */
import { createRedactor } from '../../lambda/telemetry/redact';
import { TEST_VOCABULARY } from './support';

const redact = createRedactor(TEST_VOCABULARY);
const SITE = 'https://app.example.com';
const BUNDLE = `${SITE}/assets/index-c63af811.js`;

describe('free text', () => {
  it.each([
    [
      'numeric dates: ISO with one-digit parts, dotted and slashed with two- and four-digit years',
      'born 1980-1-5, seen 05/03/1980, 5.3.80 and 5/3/80',
      '[redacted] [date], [redacted] [date], [date] and [date]',
    ],
    [
      'day-first spelled-out dates, with and without the dot and the year',
      'am 5. März 1985, am 5 Mai, 5.Juni 1990, on 3 Dec. 2021',
      '[redacted] [date], [redacted] [date], [date], on [date]',
    ],
    [
      'month-first spelled-out dates, with an ordinal, a comma, an abbreviation',
      'on March 5th, 1985, Sept 5, 1985 or Jan. 3 2020 or May 22nd',
      'on [date], [date] or [date] or [date]',
    ],
    [
      'e-mails with _ % in the local part and letters beyond ASCII',
      'mail jane_doe%x@mail.example.de or müller@beispiel.de',
      '[redacted] [email] or [email]',
    ],
    [
      'e-mails written out: (at), [ at ] [dot], {ät}(punkt), " at " and " AT " before a domain',
      'mail max(at)gmx.de, max [ at ] gmx [dot] de, max{ät}web(punkt)de, max at gmx.de, max AT gmx (dot) de',
      '[redacted] [email], [email], [email], [email], [email]',
    ],
    ['"at" that is no e-mail (no domain follows)', 'max at the door', '[redacted] at the [redacted]'],
    [
      'IBANs: unbroken, in groups of four, with letters in the account',
      'IBAN DE89370400440532013000 or AT61 1904 3002 3457 3201 or GB29 NWBK 6016 1331 9268 19',
      '[redacted] [iban] or [iban] or [iban]',
    ],
    ['a US social security number', 'ssn 123-45-6789', '[redacted] [ssn]'],
    [
      'phone numbers with +, parentheses, slash, dots and a dash',
      'call +49 30 1234567 or (030) 123-4567 or 030/1234567 or 030.123.4567 or 0151-2345678',
      'call [phone] or [phone] or [phone] or [phone] or [phone]',
    ],
    [
      'fewer than seven digits are numbers, not a phone',
      'code 12-34-56 and 1.2.3 and 5/1234567',
      'code [number]-[number]-[number] and [number].[number].[number] and [phone]',
    ],
    [
      'keys by their prefix: Supabase, Stripe, AWS, GitHub, Slack',
      'keys sb_secret_abcdefgh12 sk_live_abcdefgh12 AKIAIOSFODNN7EXAMPLE ghp_abcdefgh1234 xoxb-12345678-abc xoxp-12345678',
      'keys [key] [key] [key] [key] [key] [key]',
    ],
    [
      'a long token needs both letters and digits (else it is a word or a number)',
      'token ab_cd-ef0123456789ab_cd-ef0123456789 and abcdefghijklmnopqrstuvwxyzabcdefgh and 12345678901234567890123456789012345',
      'token [key] and [redacted] and [number]',
    ],
    ['a JWT with - and _ in its parts', 'jwt eyJh-bGc_iOiJ.eyJzd-WIi_OiIx.abcde-fgh_ij', '[redacted] [jwt]'],
    [
      'percent-encoded text is decoded before the allowlist',
      'Anna%20Schmidt%2C and 100%25 and %zz',
      '[redacted], and [number]% and %[redacted]',
    ],
    [
      'capitalized bundle words beside a removed word or each other are a name',
      'TypeError: Will Page, Rose Miller and Miller, Rose or Page-Will; submit Booking slot',
      'TypeError: [redacted] and [redacted] or [redacted]; submit Booking slot',
    ],
    [
      'a capitalized bundle word right before or after a URL is taken as a name',
      `Booking ${SITE}/booking/7 , Booking`,
      `[redacted] ${SITE}/booking/:bookingId , [redacted]`,
    ],
  ])('%s', (_what, input, expected) => {
    expect(redact.text(input)).toBe(expected);
  });

  it('reduces a URL of each scheme to its route, keeps a script position, drops trailing punctuation from it', () => {
    expect(
      redact.text(
        'see ws://app.example.com/booking/1, wss://x.example.com/a, file:///home/anna/x.js, ' +
          'webpack://app/booking/7:1:2, chrome-extension://abc/Anna.js.',
      ),
    ).toBe(
      'see ws://app.example.com/booking/:bookingId, wss://x.example.com/:id, file:///:id/:id/:id, ' +
        'webpack://app/booking/:bookingId:[number]:[number], chrome-extension://abc/:id.',
    );
    expect(redact.text(`failed ${BUNDLE}:12:34; then https://app.example.com:8443/booking/7:3:4!`)).toBe(
      `failed ${BUNDLE}:12:34; then https://app.example.com:8443/booking/:bookingId:[number]:[number]!`,
    );
  });
});

describe('names made of bundle words ("Booking" is one in this build; "JSON", "Error" are engine words)', () => {
  it.each([
    ['Anna Booking', '[redacted]'],
    ['Booking Anna', '[redacted]'],
    ['Booking, Anna', '[redacted]'],
    ['Booking-Anna', '[redacted]'],
    ['Booking -Anna', 'Booking -[redacted]'],
    ['Booking \t,\t Anna', '[redacted]'],
    ['Booking\tAnna', '[redacted]'],
    ['Booking  Anna', '[redacted]'],
    ['Booking: Anna', 'Booking: [redacted]'],
    ['booking Anna', 'booking [redacted]'],
    ['Booking Error', 'Booking Error'],
    ['Booking JSON failed', 'Booking JSON failed'],
    ['Anna Schmidt Booking JSON', '[redacted] JSON'],
    ['Anna. Schmidt', '[redacted]'],
    ['Anna - Schmidt', '[redacted]'],
    ['Anna; Schmidt', '[redacted]; [redacted]'],
    ['Anna 12 Schmidt', '[redacted] [number] [redacted]'],
    ['https://x.example.com/a Booking', 'https://x.example.com/:id [redacted]'],
    ['Booking\thttps://x.example.com/a', '[redacted]\thttps://x.example.com/:id'],
    ['Booking ,https://x.example.com/a', '[redacted] ,https://x.example.com/:id'],
    ['Booking  https://x.example.com/a', '[redacted]  https://x.example.com/:id'],
    ['Booking ,, https://x.example.com/a', 'Booking ,, https://x.example.com/:id'],
    ['jane@x.de,Booking', '[email],[redacted]'],
    ['jane@x.de , Booking', '[email] , [redacted]'],
    [
      'xTypeError BookingError AError Error1Error TypeErrorx TypeError_',
      '[redacted] BookingError AError Error1Error [redacted]',
    ],
    ['slot 42 slot4 4slot', 'slot [number] [redacted]'],
  ])('%j is %j', (input, expected) => {
    expect(redact.text(input)).toBe(expected);
  });
});

describe('stacks', () => {
  it('keeps V8 frames of code (async, new, Object.<anonymous>, bare, native) and removes names', () => {
    const stack = [
      'TypeError: x',
      `  at async onClick (${BUNDLE}:1:2)`,
      `  at new Booking (${BUNDLE}:3:4)`,
      `  at Object.<anonymous> (${BUNDLE}:5:6)`,
      `    at ${BUNDLE}:7:8`,
      '    at <anonymous>',
      '    at native',
      `  at Anna Schmidt (${BUNDLE}:9:10)`,
      `  at onClick42 (${SITE}/booking/Anna:1:2)`,
      '  at dispatch (Anna Schmidt)',
      `  at Li (${BUNDLE}:1:2)  `,
    ].join('\n');
    expect(redact.stack(stack).split('\n')).toEqual([
      'TypeError: [redacted]',
      `  at async onClick (${BUNDLE}:1:2)`,
      `  at new Booking (${BUNDLE}:3:4)`,
      `  at Object.<anonymous> (${BUNDLE}:5:6)`,
      `    at ${BUNDLE}:7:8`,
      '    at <anonymous>',
      '    at native',
      `  at [redacted] (${BUNDLE}:9:10)`,
      `  at [redacted] (${SITE}/booking/:bookingId:[number]:[number])`,
      '  at dispatch ([redacted])',
      `  at [redacted] (${BUNDLE}:1:2)`,
    ]);
  });

  it('keeps Gecko frames of code and removes names in their function or location', () => {
    const stack = [
      `dispatch@${SITE}/assets/vendor-0123abcd.js:2:100`,
      `  onClick@${SITE}/assets/index-c63af811.mjs:3:4`,
      `@${SITE}/assets/a.js:5:6`,
      'Anna@[native code]',
      'submit@Anna Schmidt',
      `Rose@${SITE}/booking/7:1:2`,
      `x@ ${SITE}/a.js:1:2`,
    ].join('\n');
    expect(redact.stack(stack).split('\n')).toEqual([
      `dispatch@${SITE}/assets/vendor-0123abcd.js:2:100`,
      `  onClick@${SITE}/assets/:id:[number]:[number]`,
      `@${SITE}/assets/a.js:5:6`,
      '[redacted]@[native code]',
      'submit@[redacted]',
      `[redacted]@${SITE}/booking/:bookingId:[number]:[number]`,
      `[redacted]@ ${SITE}/a.js:1:2`,
    ]);
  });
});

describe('URLs and paths', () => {
  it.each([
    ['https://[::1]/x', 'https://[ip]/:id'],
    ['http://10.0.0.1/patients', 'http://[ip]/patients'],
    ['mailto:jane@x.de', 'mailto:'],
    ['about:blank', 'about:'],
    ['wasm-eval', 'wasm-eval'],
    ['trusted-types-sink', 'trusted-types-sink'],
    ['eval', 'eval'],
    ['data', 'data:'],
    ['blob', 'blob:'],
    ['  self  ', 'self'],
    ['', ''],
    ['/booking/42?x=1', '/booking/:bookingId'],
    ['booking/42', '/booking/:bookingId'],
    ['HTTPS://App.Example.com/Patients', 'https://app.example.com/:id'],
    [BUNDLE, BUNDLE],
    [`${SITE}/booking/`, `${SITE}/booking/`],
    [`${SITE}/appointments/5/x`, `${SITE}/appointments/:id/:id`],
    [`${SITE}//booking`, `${SITE}//booking`],
  ])('url(%j) is %j', (input, expected) => {
    expect(redact.url(input)).toBe(expected);
  });

  it.each([
    [`${SITE}/booking/7?x#y`, '/booking/:bookingId'],
    ['booking/7', '/booking/:bookingId'],
    ['', '/'],
    ['/booking/%E0%A4%A', '/booking/:bookingId'],
    ['/book#frag', '/book'],
  ])('pagePath(%j) is %j', (input, expected) => {
    expect(redact.pagePath(input)).toBe(expected);
  });
});

describe('routes with a splat, an optional parameter and overlapping literals', () => {
  const routed = createRedactor({
    words: new Set(['Booking']),
    routes: [
      '/',
      '/docs/*',
      '/booking/:id?',
      '/booking/new',
      '/team/:member/profile',
      'settings',
      'help/:topic',
      '/*x',
    ],
  });
  it.each([
    ['/docs/a/b', '/docs/*'],
    ['/docs', '/docs/*'],
    ['/booking/', '/booking/:id?'],
    ['/booking/42', '/booking/:id?'],
    ['/booking/new', '/booking/new'],
    ['/team/anna/profile', '/team/:member/profile'],
    ['/team//profile', '/team//profile'],
    ['/team/anna', '/team/:id'],
    ['/settings/x', '/settings/:id'],
    ['/help/x', '/help/:id'],
    ['/x/:topic', '/:id/:id'],
    ['/*', '/:id'],
    ['/*x', '/*x'],
    ['/new', '/new'],
  ])('pagePath(%j) is %j', (input, expected) => {
    expect(routed.pagePath(input)).toBe(expected);
  });
});

it.each([
  ['patient Anna Schmidt called', 9, 'patient …'],
  ['abc', 3, '…'],
  ['no slot', 7, 'no slot'],
  ['slot for patient Anna Schmidt today', 17, 'slot for patient …'],
])('capped(%j, %d) is %j', (input, count, expected) => {
  expect(redact.capped(input, count)).toBe(expected);
});
