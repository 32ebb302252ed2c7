/**
 * New-kind notices against the real collector handler and local DynamoDB and SNS stand-ins: their caps are held
 * in the store (so many Lambda instances share them), they carry nothing the reporter wrote, and a fingerprint sent
 * before a release was deployed cannot hide that release's errors.
 */
import { collectorInstances, post } from './support';

type Caps = { perMinute: number; perRelease: number; perDay: number };

/** The caps count per minute and per day: on the wall clock, a run that crossed a minute would reset them. */
const MID_MINUTE = () => Date.parse('2026-12-07T12:00:30Z');

const instances = (count: number, caps: Caps) =>
  collectorInstances(
    count,
    {
      // A generous publish bound: twenty instances on a loaded machine (the bound has its own test).
      notify: { topicArn: 'arn:aws:sns:us-east-1:111111111111:miko-staging-warning', timeoutMs: 10_000, caps },
    },
    MID_MINUTE,
  );

const errorWith = (message: string, extra: Record<string, unknown> = {}) => ({
  message,
  stack: `Error: ${message}\n    at onClick (https://app.example.com/assets/index-c63af811.js:1:2345)`,
  path: '/book',
  source: 'error',
  ...extra,
});
const live = (release: string) => ({ 'x-miko-release': release });
/** Distinct error class per kind: the allowlist replaces digits and words the bundle lacks, not class names. */
const word = (i: number) => [...String(i)].map((d) => 'abcdefghij'[Number(d)]).join('');
const kind = (prefix: string, i: number) => `${prefix}${word(i)}Error: forged`;

let env: Awaited<ReturnType<typeof instances>>;
afterEach(() => env?.close());

it('caps notices per minute across 20 instances: the cap, then one "cap reached", then silence', async () => {
  env = await instances(20, { perMinute: 3, perRelease: 100, perDay: 100 });
  // Three rounds of 20 instances answering at once.
  for (let round = 0; round < 3; round++)
    await Promise.all(
      env.handlers.map((handle, i) =>
        handle(post('/_telemetry/errors', errorWith(kind('Forged', round * 20 + i)), live('r-7'))),
      ),
    );
  expect(env.stored.filter((s) => s.novelty === 'new')).toHaveLength(60);
  const subjects = env.sns.published.map((p) => p.subject ?? '');
  expect(subjects.filter((s) => s.includes('new client error'))).toHaveLength(3);
  expect(subjects.filter((s) => s.includes('notices capped (3 this minute)'))).toHaveLength(1);
  expect(env.sns.published).toHaveLength(4);
  expect(env.stored.filter((s) => s.notified === true)).toHaveLength(3);
});

it('caps notices per release and per day, in the store', async () => {
  env = await instances(3, { perMinute: 100, perRelease: 2, perDay: 5 });
  for (let i = 0; i < 6; i++)
    await env.handlers[i % 3](post('/_telemetry/errors', errorWith(kind('Kinda', i)), live('r-1')));
  expect(env.sns.published.map((p) => p.subject)).toEqual([
    expect.stringContaining('in release r-1'),
    expect.stringContaining('in release r-1'),
    expect.stringContaining('notices capped (2 this release)'),
  ]);
  for (let i = 0; i < 10; i++)
    await env.handlers[i % 3](post('/_telemetry/errors', errorWith(kind('Kindb', i)), live(`r-${i + 2}`)));
  // r-1's refused kinds gave their day slots back: r-1's 2 notices and its "cap reached" are 3 of the day's 5,
  // two more releases get theirs, the sixth take is the day's single "cap reached", then silence.
  const subjects = env.sns.published.map((p) => p.subject ?? '');
  expect(subjects.filter((s) => s.includes('new client error'))).toHaveLength(4);
  expect(subjects.filter((s) => s.includes('notices capped (5 today)'))).toHaveLength(1);
  expect(subjects).toHaveLength(6);
});

it('says nothing the reporter wrote: only our fingerprint, the live release, counts and the saved query', async () => {
  env = await instances(1, { perMinute: 5, perRelease: 10, perDay: 40 });
  const forged = errorWith('URGENT roll back now: https://evil.example/login Anna Schmidt', {
    release: 'roll-back-now',
    path: '/patients/Anna Schmidt',
    browser: 'Call 555-0100',
  });
  await env.handlers[0](post('/_telemetry/errors', forged, live('2026-12-01T0300Z-abc1234')));
  const [notice] = env.sns.published;
  const text = `${notice.subject}\n${notice.message}`;
  for (const reporterText of [
    'URGENT',
    'roll back now',
    'evil.example',
    'Anna',
    'Schmidt',
    'roll-back-now',
    '555',
    'onClick',
    'index',
  ])
    expect(text).not.toContain(reporterText);
  const fingerprint = env.stored[0].fingerprint;
  expect(notice.subject).toBe(
    `[warning] MiKO staging: new client error ${fingerprint} in release 2026-12-01T0300Z-abc1234`,
  );
  expect(notice.message).toContain(`new-kind notice 1 of at most 10 for it`);
  expect(notice.message).toContain(`miko-staging/errors-of-this-fingerprint with ${fingerprint}`);
  expect(notice.message).toContain(
    'https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#logsV2:logs-insights',
  );
  // Every line is one of ours: the words are fixed, only hex, counts and ids of the release pattern vary.
  const shapes = notice.message.split('\n').map((line) =>
    line
      .replace(/[0-9a-f]{16}/g, 'FP')
      .replace(/2026-12-01T0300Z-abc1234/g, 'REL')
      .replace(/\d+/g, 'N'),
  );
  expect(shapes).toEqual([
    'A kind of browser error not seen before in release REL of staging was reported.',
    'Fingerprint: FP',
    'Live release: REL (new-kind notice N of at most N for it)',
    'Saved query: miko-staging/errors-of-this-fingerprint with FP — https://us-east-N.console.aws.amazon.com/cloudwatch/home?region=us-east-N#logsVN:logs-insights',
    'Browser reports can be forged by anyone: confirm in the saved query before acting. Critical pages and rollbacks never rest on them.',
  ]);
});

it('a fingerprint sent before a release was deployed is new again in that release, and is announced', async () => {
  env = await instances(2, { perMinute: 5, perRelease: 10, perDay: 40 });
  const realBug = errorWith("Cannot read properties of undefined (reading 'slot')");
  // The attacker computes the bug's fingerprint from the public bundle and sends it while r-1 is live.
  await env.handlers[0](post('/_telemetry/errors', realBug, live('r-1')));
  await env.handlers[1](post('/_telemetry/errors', realBug, live('r-1')));
  expect(env.stored.map((s) => s.novelty)).toEqual(['new', 'known']);
  // r-2 ships the bug: its first report is new in r-2 and reaches the inbox.
  await env.handlers[1](post('/_telemetry/errors', realBug, live('r-2')));
  expect(env.stored[2]).toMatchObject({ novelty: 'new', liveRelease: 'r-2', notified: true, NewClientErrorKinds: 1 });
  expect(env.sns.published.at(-1)!.subject).toContain(`${env.stored[2].fingerprint} in release r-2`);
});
