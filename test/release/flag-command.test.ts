/**
 * `npm run flag` against the release stand-in, seen through the preview of the SYNTHESIZED site reading the same
 * store: a flip shows in the next /flags.json without a synth; a percentage rollout follows the sticky bucket;
 * an unknown flag or a wrong type is refused with the list of flags.
 */
import type { Server } from 'node:http';
import { main, EXIT } from '../../scripts/flag';
import type { FakeSiteAws } from '../../tools/stand-ins/release-aws';
import { siteModel, startPreview } from '../support/preview';
import { auditRecords, clientsFor, startReleaseAws } from './support';

let aws: FakeSiteAws;
let server: Server;
let url: string;

beforeAll(async () => {
  aws = await startReleaseAws();
  // The preview serves the synthesized site, its functions reading the stand-in's store on every request.
  const model = siteModel('production');
  aws.store.set('live-release', model.keyValueStore.get('live-release')!);
  ({ server, url } = await startPreview(model, undefined, aws.store));
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await aws.close();
});

async function flag(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const exit = await main(['--env', 'production', ...argv], {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    clients: clientsFor(aws),
    who: 'test:bob',
  });
  return { exit, out, err };
}

const flagsFor = async (bucket: number) =>
  (await (await fetch(`${url}/flags.json`, { headers: { cookie: `miko-bucket=${bucket}` } })).json()) as Record<
    string,
    unknown
  >;

it('serves the declared defaults, then a flip in the very next /flags.json, with no-store', async () => {
  expect(await flagsFor(1)).toEqual({ researchAgent: true, smsReminders: false, analytics: true });
  const result = await flag(['--set', 'researchAgent=false', '--reason', 'n8n chat is down']);
  expect(result.exit).toBe(EXIT.done);
  expect(result.out[0]).toBe('production: researchAgent true (default) -> false');
  const answer = await fetch(`${url}/flags.json`);
  expect(answer.headers.get('cache-control')).toBe('no-store');
  expect(await answer.json()).toEqual({ researchAgent: false, smsReminders: false, analytics: true });
  expect(auditRecords(aws).at(-1)).toMatchObject({
    action: 'flag-set',
    who: 'test:bob',
    why: 'n8n chat is down',
    before: { flags: {} },
    after: { flags: { researchAgent: false } },
  });
});

it('rolls a flag out to a percentage of browsers, each keeping its answer as the share grows', async () => {
  await flag(['--set', 'smsReminders=20%', '--reason', 'start the rollout']);
  const buckets = Array.from({ length: 400 }, (_, i) => i * 25);
  const at20 = await Promise.all(buckets.map(async (b) => (await flagsFor(b)).smsReminders === true));
  const share = at20.filter(Boolean).length / buckets.length;
  expect(share).toBeGreaterThanOrEqual(0.17);
  expect(share).toBeLessThanOrEqual(0.23);
  await flag(['--set', 'smsReminders=50%', '--reason', 'widen']);
  const at50 = await Promise.all(buckets.map(async (b) => (await flagsFor(b)).smsReminders === true));
  expect(buckets.filter((_, i) => at20[i] && !at50[i])).toEqual([]);
  expect(at50.filter(Boolean).length).toBeGreaterThan(at20.filter(Boolean).length);
});

it('--unset returns a flag to its default; --list shows each flag, its value and owner', async () => {
  await flag(['--unset', 'researchAgent', '--reason', 'chat is back']);
  expect((await flagsFor(3)).researchAgent).toBe(true);
  const list = await flag(['--list']);
  expect(list.out).toEqual([
    'researchAgent: true (default)  owner patient-experience',
    'smsReminders: 50% (set)  owner practice-operations',
    'analytics: true (default)  owner practice-marketing',
  ]);
});

it.each([
  [['--set', 'chatbot=false', '--reason', 'x'], /"chatbot" is not a declared flag/],
  [['--set', 'researchAgent=off', '--reason', 'x'], /researchAgent is a boolean: "off" is not one/],
  [['--set', 'researchAgent=150%', '--reason', 'x'], /researchAgent is a boolean: "150%" is not one/],
  [['--set', 'researchAgent=false'], /Fix: add --reason/],
])('refuses %j with exit 2 and the list of flags, changing nothing', async (argv, message) => {
  const before = aws.store.get('flags');
  const result = await flag(argv);
  expect(result.exit).toBe(EXIT.usage);
  const text = result.err.join('\n');
  expect(text).toMatch(message);
  expect(text).toMatch(/flags:\n {2}researchAgent \(boolean, default true in production, owner patient-experience\)/);
  expect(text).toMatch(/smsReminders.*\n.*analytics/);
  expect(aws.store.get('flags')).toBe(before);
});
