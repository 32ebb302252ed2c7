/**
 * `npm run release` against the release stand-in on 127.0.0.1 (real SDK clients, SigV4a, conditional writes), on a
 * scaled clock: a 10-minute bake takes no wall time, and the test sees the store at every tick.
 */
import { main, EXIT } from '../../scripts/release';
import { rollback } from '../../scripts/rollback';
import type { FakeSiteAws } from '../../tools/stand-ins/release-aws';
import { auditRecords, canaryOf, clientsFor, startReleaseAws } from './support';

let aws: FakeSiteAws;
beforeEach(async () => {
  aws = await startReleaseAws();
});
afterEach(() => aws.close());

function run(argv: string[], onTick: () => void = () => undefined) {
  const out: string[] = [];
  const err: string[] = [];
  let slept = 0;
  const code = main(argv, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    clients: clientsFor(aws),
    who: 'test:alice',
    sleep: async (ms) => {
      slept += ms;
      onTick();
    },
  });
  return code.then((exit) => ({ exit, out, err, slept }));
}

const REASON = ['--reason', 'ship booking fix'];

it('walks 5 → 25 → live after a clean bake at each step, recording each step with who and why', async () => {
  const weights: number[] = [];
  const result = await run(['--env', 'production', '--canary', 'r3', '--weight', '5', '--bake', '10m', ...REASON], () =>
    weights.push(canaryOf(aws)?.weight ?? -1),
  );
  expect(result.exit).toBe(EXIT.done);
  expect(result.slept).toBe(2 * 10 * 60_000);
  expect(new Set(weights)).toEqual(new Set([5, 25]));
  expect(aws.store.get('live-release')).toBe('r3');
  expect(aws.store.has('canary')).toBe(false);
  expect(auditRecords(aws).map((r) => [r.action, r.who, r.why, r.after])).toEqual([
    ['canary-start', 'test:alice', 'ship booking fix', { canary: { release: 'r3', weight: 5 } }],
    ['canary-weight', 'test:alice', 'ship booking fix', { canary: { release: 'r3', weight: 25 } }],
    ['canary-promote', 'test:alice', 'ship booking fix', { live: 'r3', canary: null }],
  ]);
});

it('stops with exit 1 and leaves live alone when the canary is aborted while baking', async () => {
  let ticks = 0;
  const result = await run(['--env', 'production', '--canary', 'r3', '--bake', '10m', ...REASON], () => {
    if (++ticks === 3)
      aws.store.set('canary', JSON.stringify({ release: 'r3', weight: 0, abortedBecause: 'site-down on canary' }));
  });
  expect(result.exit).toBe(EXIT.aborted);
  expect(result.err.join('\n')).toMatch(/stopped while baking at 5 %: aborted: site-down on canary/);
  expect(aws.store.get('live-release')).toBe('r1');
  expect(ticks).toBe(3);
});

it('--abort sets the weight to 0 with the reason; --promote then refuses', async () => {
  await run(['--env', 'production', '--canary', 'r3', '--weight', '25', ...REASON]);
  expect(canaryOf(aws)).toEqual({ release: 'r3', weight: 25 });
  expect((await run(['--env', 'production', '--abort', '--reason', 'checkout errors'])).exit).toBe(EXIT.done);
  expect(canaryOf(aws)).toEqual({ release: 'r3', weight: 0, abortedBecause: 'checkout errors' });
  const promote = await run(['--env', 'production', '--promote', ...REASON]);
  expect(promote.exit).toBe(EXIT.aborted);
  expect(promote.err.join()).toMatch(/r3 was aborted \(checkout errors\)/);
  expect(aws.store.get('live-release')).toBe('r1');
  const status = await run(['--env', 'production', '--status']);
  expect(status.out).toEqual(['production live:   r1', 'production canary: r3 at 0 % (ABORTED: checkout errors)']);
});

it('cuts a long abort reason to fit the store’s 1 KB values (the audit record keeps it whole)', async () => {
  await run(['--env', 'production', '--canary', 'r3', '--weight', '5', ...REASON]);
  const long = 'x'.repeat(2_000);
  expect((await run(['--env', 'production', '--abort', '--reason', long])).exit).toBe(EXIT.done);
  expect(aws.store.get('canary')!.length).toBeLessThan(1_024);
  expect(canaryOf(aws)!.abortedBecause).toMatch(/^x{299}…$/);
  expect(auditRecords(aws).at(-1)!.why).toBe(long);
});

it('rollback aborts a serving canary and moves live in the same write', async () => {
  await run(['--env', 'production', '--canary', 'r3', '--weight', '5', ...REASON]);
  const lines: string[] = [];
  await rollback(['--env', 'production', '--release', 'r2', '--reason', 'r1 and r3 both bad'], clientsFor(aws), (l) =>
    lines.push(l),
  );
  expect(aws.store.get('live-release')).toBe('r2');
  expect(canaryOf(aws)).toMatchObject({ release: 'r3', weight: 0, abortedBecause: 'rollback: r1 and r3 both bad' });
  expect(lines[0]).toMatch(/canary r3 aborted \(weight 5 % -> 0\)/);
  const last = auditRecords(aws).at(-1)!;
  expect([last.action, last.before, last.after]).toEqual([
    'rollback',
    { live: 'r1', canary: { release: 'r3', weight: 5 } },
    { live: 'r2', canary: { release: 'r3', weight: 0, abortedBecause: 'rollback: r1 and r3 both bad' } },
  ]);
});

it('refuses a release that is not kept, and changes nothing', async () => {
  const result = await run(['--env', 'production', '--canary', 'r9', ...REASON]);
  expect(result.exit).toBe(EXIT.failed);
  expect(result.err.join()).toMatch(/r9 is not in .*Fix:/);
  expect(aws.store.has('canary')).toBe(false);
  expect(aws.auditObjects.size).toBe(0);
});

it.each([
  [['--env', 'production', '--canary', 'r3'], /Fix: add --reason/],
  [['--env', 'prod', '--status'], /--env is "prod"\. Fix: --env staging or --env production\./],
  [['--env', 'production', '--promote', '--abort', ...REASON], /exactly one of/],
  [['--env', 'production', '--canary', 'r3', '--weight', '150', ...REASON], /--weight must be a percentage/],
  [['--env', 'production', '--canary', 'r3', '--bake', '10 minutes', ...REASON], /--bake must be a duration/],
  [['--env', 'production', '--canary', 'r3', '--steps', '5,50', ...REASON], /--steps must rise and end at 100/],
  [['--env', 'production', '--status', '--frobnicate'], /Unknown option/],
])('usage error %j → exit 2 with the usage', async (argv, message) => {
  const result = await run(argv);
  expect(result.exit).toBe(EXIT.usage);
  expect(result.err.join('\n')).toMatch(message);
  expect(result.err.join('\n')).toMatch(/usage: npm run release/);
});

it('--help prints the usage and exit codes, exit 0', async () => {
  const result = await run(['--help']);
  expect(result.exit).toBe(0);
  expect(result.out.join('\n')).toMatch(/usage: npm run release[\s\S]*Exit codes: 0 /);
});
