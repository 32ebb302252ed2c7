/**
 * Attack tests (docs/readme/telemetry-trust.md): well-formed error reports at the WAF's limit from 1, 100 and 10,000
 * addresses (IPv4, and IPv6 /64s), with random and with replayed fingerprints and the live release id, through the
 * synthesized WAF's rate rules (tools/stand-ins/waf.ts) into the real collector handler (twenty instances over
 * DynamoDB and SNS stand-ins, the synthesized settings), on a simulated clock. The event lines' EMF datapoints are
 * then evaluated against every synthesized alarm that reads them, and verify judges the release by the states that
 * produced, against a CloudWatch stand-in. None may page critical, roll back, or send more than the notice caps.
 */
import { datapointsOfEmfLines, evaluateAlarm, readsDatapoint } from '../../tools/analysis/alarm-evaluation';
import { NOTICE_CAPS } from '../../lib/telemetry/telemetry-stack';
import { SETTINGS_VARIABLE, CollectorSettings } from '../../lambda/telemetry/settings';
import { judgeAlarms } from '../../scripts/verify/alarm-check';
import { alarmSelection, releaseSettleWindow } from '../../scripts/verify/assembly';
import { FakeAlarm, startFakeCloudWatch } from '../../tools/stand-ins/cloudwatch';
import { wafModel } from '../../tools/stand-ins/waf';
import { assemblyDir, stackArtifact } from '../support/assembly';
import { collectorInstances, post, TABLE } from './support';

const START = Date.parse('2026-12-07T12:00:00Z');
const SIMULATED_S = 65;
/** The live release, as anyone reads it from /version.json. */
const LIVE = '2026-12-07T1100Z-abc1234';
const resourcesOf = (part: string) => Object.values<any>(stackArtifact('Production', part).template.Resources);
const acl = resourcesOf('Site').find((r) => r.Type === 'AWS::WAFv2::WebACL').Properties;
const alarms = resourcesOf('Monitoring')
  .filter((r) => r.Type === 'AWS::CloudWatch::Alarm')
  .map((r) => r.Properties);
const synthesized: CollectorSettings = JSON.parse(
  resourcesOf('Telemetry').find((r) => r.Properties?.Environment?.Variables?.[SETTINGS_VARIABLE]).Properties.Environment
    .Variables[SETTINGS_VARIABLE],
);

const addressesOf = (count: number, family: 'IPv4' | 'IPv6 /64') =>
  Array.from({ length: count }, (_, i) =>
    family === 'IPv4' ? `198.${18 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}` : `2001:db8:${i.toString(16)}::1`,
  );

/** A real bug's wording and frames, as anyone computes them from the public bundle. */
const REPLAYED = {
  message: "Cannot read properties of undefined (reading 'slot')",
  stack:
    "TypeError: Cannot read properties of undefined (reading 'slot')\n    at BookingForm (https://app.miko.example.com/assets/index-c63af811.js:1:2345)",
};
let sequence = 0;
const randomError = () => {
  const word = (++sequence).toString(36).replace(/\d/g, (d) => 'qwrtyzxvbn'[Number(d)]);
  return {
    message: `ATTACK roll back now https://evil.example ${word}`,
    stack: `Error: x\n    at ${word} (https://evil.example/${word}.js:1:1)`,
  };
};

interface Outcome {
  readonly admitted: number;
  readonly stored: Array<Record<string, any>>;
  readonly notices: Array<{ subject?: string; message: string }>;
  readonly statuses: Map<number, number>;
}

/** Each address sends at the per-address limit (300 per 5 minutes: one a second), 10 errors a request. */
async function attack(addresses: string[], fingerprints: 'random' | 'replayed'): Promise<Outcome> {
  const waf = wafModel(acl);
  let now = START;
  const env = await collectorInstances(
    20,
    {
      ...synthesized, // A generous store bound: the store-outage fallback has its own test (event-budget.test.ts).
      novelty: { ...synthesized.novelty, tableName: TABLE, timeoutMs: 10_000 },
    },
    () => now,
  );
  const statuses = new Map<number, number>();
  let admitted = 0;
  try {
    for (let second = 0; second < SIMULATED_S; second++) {
      for (const [i, address] of addresses.entries()) {
        now = START + second * 1000 + Math.floor((i * 1000) / addresses.length);
        if (!waf.admit(address, '/_telemetry/errors', now)) continue;
        const errors = Array.from({ length: 10 }, () => ({
          ...(fingerprints === 'random' ? randomError() : REPLAYED),
          path: '/booking',
          release: LIVE,
          source: 'error',
        }));
        const answer = await env.handlers[admitted++ % 20](
          post('/_telemetry/errors', errors, { 'x-miko-release': LIVE, origin: synthesized.siteOrigin }),
        );
        statuses.set(answer.statusCode, (statuses.get(answer.statusCode) ?? 0) + 1);
      }
    }
    return { admitted, stored: env.stored, notices: env.sns.published, statuses };
  } finally {
    await env.close();
  }
}

/** IPv4 and IPv6 runs that the WAF admits identically reach the collector identically: run the collector once. */
const runs = new Map<string, Promise<Outcome>>();
const outcomeOf = (count: number, family: 'IPv4' | 'IPv6 /64', fingerprints: 'random' | 'replayed') => {
  const key = `${count}-${fingerprints}`;
  if (!runs.has(key)) runs.set(key, attack(addressesOf(count, family), fingerprints));
  return runs.get(key)!;
};

const firingAlarms = (stored: Array<Record<string, any>>) => {
  const datapoints = datapointsOfEmfLines(stored);
  return alarms
    .filter((alarm) => datapoints.some((d) => readsDatapoint(alarm, d)))
    .filter((alarm) =>
      evaluateAlarm(alarm, datapoints, START, START + (SIMULATED_S + 60) * 1000).some((t) => t.state === 'ALARM'),
    )
    .map((alarm) => alarm.AlarmName as string);
};

async function verifyVerdict(firing: string[]) {
  const selection = alarmSelection(assemblyDir(), 'Production');
  const states: FakeAlarm[] = selection.critical.map((c) => {
    const name = c.name;
    return {
      AlarmName: name,
      StateValue: firing.includes(name) ? 'ALARM' : 'OK',
      StateTransitionedTimestamp: START / 1000 + 30,
    };
  });
  const cloudwatch = await startFakeCloudWatch(states);
  process.env.AWS_ENDPOINT_URL_CLOUDWATCH = cloudwatch.url;
  let clock = START + 60_000;
  try {
    const { CloudWatchClient } = await import('@aws-sdk/client-cloudwatch');
    return await judgeAlarms(new CloudWatchClient({ region: 'us-east-1' }), selection, {
      since: new Date(START),
      settleSeconds: releaseSettleWindow(assemblyDir(), 'Production').seconds,
      pollSeconds: 10,
      clock: { now: () => clock, sleep: async (ms) => void (clock += ms) },
    });
  } finally {
    delete process.env.AWS_ENDPOINT_URL_CLOUDWATCH;
    await cloudwatch.close();
  }
}

describe.each([1, 100, 10_000])('%s address(es) at the WAF limit', (count) => {
  describe.each(['IPv4', 'IPv6 /64'] as const)('%s', (family) => {
    it.each(['random', 'replayed'] as const)(
      '%s fingerprints, the live release id: warnings at most, no critical alarm, no rollback, notices within caps',
      async (fingerprints) => {
        const outcome = await outcomeOf(count, family, fingerprints);
        expect(outcome.admitted).toBeGreaterThan(0);
        const firing = firingAlarms(outcome.stored);
        expect(firing.filter((name) => name.includes('-critical-'))).toEqual([]);
        // It is seen: a warning fires (the spike while one address fits the budget, a new kind otherwise).
        expect(firing.length).toBeGreaterThan(0);
        expect(firing.every((name) => name.startsWith('miko-production-warning-'))).toBe(true);
        expect((await verifyVerdict(firing)).ok).toBe(true);

        const newKinds = outcome.notices.filter((n) => n.subject?.includes('new client error'));
        const capped = outcome.notices.filter((n) => n.subject?.includes('notices capped'));
        const minutes = Math.ceil(SIMULATED_S / 60);
        expect(newKinds.length).toBeLessThanOrEqual(Math.min(NOTICE_CAPS.perRelease, NOTICE_CAPS.perMinute * minutes));
        expect(capped.length).toBeLessThanOrEqual(3);
        if (fingerprints === 'replayed') expect(newKinds.length).toBe(1);
        for (const notice of outcome.notices)
          expect(`${notice.subject}${notice.message}`).not.toMatch(/ATTACK|evil|roll back now/);

        // The stored budget holds whatever the WAF lets through: per minute, what is not a sample fits the budget.
        const perMinute = new Map<number, number>();
        for (const line of outcome.stored.filter((l) => !l.sampled))
          perMinute.set(
            Math.floor(line._aws.Timestamp / 60_000),
            (perMinute.get(Math.floor(line._aws.Timestamp / 60_000)) ?? 0) + 1,
          );
        for (const events of perMinute.values()) expect(events).toBeLessThanOrEqual(synthesized.budget.eventsPerMinute);
      },
    );
  });
});
