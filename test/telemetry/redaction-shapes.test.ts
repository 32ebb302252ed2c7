/**
 * Each shape of patient data and credentials the redactor names, in each spelling its pattern allows: the exact
 * output, so a narrowed pattern fails here even where the allowlist would still hide the words it let through.
 */
import { createRedactor } from '../../lambda/telemetry/redact';
import { TEST_VOCABULARY } from './support';

const redact = createRedactor(TEST_VOCABULARY);
const SITE = 'https://app.example.com';
const BUNDLE = `${SITE}/assets/index-c63af811.js`;
/** Key-shaped, never a real key: each provider's prefix on an obvious placeholder with a digit and a dash. */
const FAKE_KEYS = ['sb_secret_', 'sk_live_', 'AKIA', 'ghp_', 'xoxb-', 'xoxp-'].map(
  (prefix) => `${prefix}not_a-real-key0`,
);

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
      `keys ${FAKE_KEYS.join(' ')}`,
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

describe('edges of the shapes and of the placeholders', () => {
  it.each([
    [
      'twelve placeholders in one line (two-digit sentinels) all come back',
      Array.from({ length: 12 }, (_, i) => `a${i}@x.de`).join(' '),
      Array(12).fill('[email]').join(' '),
    ],
    ['a sentinel forged by the browser is removed, not restored', 'no slot\uE000\uE010\uE001 for', 'no slot for'],
    ['a broken percent sequence stays as written', 'Anna%E0%A4 x', '[redacted]%[redacted]%[redacted]'],
    ['a multi-byte percent sequence is decoded whole', 'M%C3%BCller', '[redacted]'],
    [
      'all trailing punctuation is cut from a URL, so its query mark cannot hide',
      'see https://app.example.com/patients?!',
      'see https://app.example.com/patients?!',
    ],
    [
      'http:// is a URL in text',
      'see http://app.example.com/booking/7',
      'see http://app.example.com/booking/:bookingId',
    ],
    [
      'a position after a URL that is no script is numbers',
      'failed https://app.example.com/assets/index-c63af811.js/x:12:345',
      'failed https://app.example.com/assets/index-c63af811.js/:id:[number]:[number]',
    ],
    [
      'a multi-digit position after a route is numbers, one placeholder each',
      'failed https://app.example.com/booking/7:12:345',
      'failed https://app.example.com/booking/:bookingId:[number]:[number]',
    ],
    ['a URL without a host keeps no position from its query', 'file:///x?u=https://h/p:1:2', 'file:///:id'],
    ['a placeholder glues a name only across spaces and one comma', 'jane@x.de; Booking', '[email]; Booking'],
    ['… on either side', 'Booking; jane@x.de', 'Booking; [email]'],
    ['… with no space at all', 'Booking,https://x.example.com/a', '[redacted],https://x.example.com/:id'],
    ['… with the space after the comma', 'Booking, https://x.example.com/a', '[redacted], https://x.example.com/:id'],
    ['" at " is an e-mail only before a known top-level domain', 'Anna at home.now', '[redacted] at [redacted]'],
    ['… not before a time', 'Anna at 10.30', '[redacted] at [number].[number]'],
    ['a domain with digits', 'anna@praxis24.de', '[email]'],
    ['seven digits with a dash are a phone', 'call 123-4567', 'call [phone]'],
    ['a long token that starts with digits', 'token 0123456789abcdef0123456789abcdef', 'token [key]'],
  ])('%s', (_what, input, expected) => {
    expect(redact.text(input)).toBe(expected);
  });

  it('caps what the first twice-the-cap characters redact to: a word the cut leaves whole is still removed', () => {
    expect(redact.capped(`${'x'.repeat(24)} failed`, 12)).toBe('[redacted]');
  });

  it.each([
    ['data:text/html,//x', 'data:'],
    ['filesystem', 'filesystem:'],
    ['mediastream', 'mediastream:'],
    ['filesystem:https://app.example.com/temporary/x', 'filesystem:'],
    ['about:srcdoc//x', 'about:'],
    ['mediastream:https://x', 'mediastream:'],
    ['capacitor://localhost', 'capacitor://localhost/'],
    ['/booking/a:b', '/booking/:bookingId'],
    ['http://10.0.0.1x/', 'http://10.0.0.1x/'],
    ['http://192.168.10.20/x', 'http://[ip]/:id'],
  ])('url(%j) is %j', (input, expected) => {
    expect(redact.url(input)).toBe(expected);
  });
});

describe('frames of a minified build (its function names are one or two letters)', () => {
  const minified = createRedactor({ words: new Set(['e', 'Li', 'Booking']), routes: ['/', '/assets/a.js'] });
  const A = `${SITE}/assets/a.js`;

  it('keeps a short bundle word as a function name, never in free text', () => {
    expect(minified.text('Li failed')).toBe('[redacted] failed');
    const stack = [
      `    at Li (${A}:1:2)`,
      `Li@${A}:3:4`,
      `    at async e (${A}:5:6)`,
      `    at Annanew e (${A}:1:2)`,
      `    at Object.42 (${A}:1:2)`,
      `    at Object.4e (${A}:1:2)`,
      '    at e (capacitor://localhost/assets/a.js:1:2)',
      '    at e (capacitor://localhost/assets/a.js:1:2 Anna)',
      '    at e (Anna capacitor://localhost/assets/a.js:1:2)',
      '    at capacitor://localhost/assets/a.js:7:8',
      'e@capacitor://localhost/assets/a.js:1:2',
      `Anna e@${A}:1:2`,
    ].join('\n');
    expect(minified.stack(stack).split('\n')).toEqual([
      `    at Li (${A}:1:2)`,
      `Li@${A}:3:4`,
      `    at async e (${A}:5:6)`,
      `    at [redacted] (${A}:1:2)`,
      `    at Object.[number] (${A}:1:2)`,
      `    at Object.[redacted] (${A}:1:2)`,
      '    at e (capacitor://localhost/assets/a.js:1:2)',
      '    at e ([redacted]://[redacted]/[redacted]/a.[redacted]:[number]:[number] [redacted])',
      '    at e ([redacted]://[redacted]/[redacted]/a.[redacted]:[number]:[number])',
      '    at capacitor://localhost/assets/a.js:7:8',
      'e@capacitor://localhost/assets/a.js:1:2',
      `[redacted]@${A}:1:2`,
    ]);
  });

  it('reads "at" mid-line as text, not as a frame', () => {
    expect(redact.stack('Anna at home (Schmidt)')).toBe('[redacted] at [redacted] ([redacted])');
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
    ['trusted-types-policy', 'trusted-types-policy'],
    ['inline', 'inline'],
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
      '/guide/:chapter/*',
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
    ['/guide/intro/a', '/guide/:chapter/*'],
    // A splat stands for any rest, but the segments before it must all be there.
    ['/guide', '/guide'],
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
  ['/visit/new', '/visit/new'],
  ['/visit/7', '/visit/:id'],
  ['/a/b', '/a/:x'],
  ['/c/b', '/:y/b'],
])('the route with the most literal segments wins, the first of equals: pagePath(%j) is %j', (input, expected) => {
  const ordered = createRedactor({ words: new Set(), routes: ['/visit/new', '/visit/:id', '/a/:x', '/:y/b'] });
  expect(ordered.pagePath(input)).toBe(expected);
});

it.each([
  ['patient Anna Schmidt called', 9, 'patient …'],
  ['abc', 3, '…'],
  ['no slot', 7, 'no slot'],
  ['slot for patient Anna Schmidt today', 17, 'slot for patient …'],
])('capped(%j, %d) is %j', (input, count, expected) => {
  expect(redact.capped(input, count)).toBe(expected);
});
