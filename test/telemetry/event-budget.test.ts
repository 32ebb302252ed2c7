/**
 * The event budget against the real collector handler and a local DynamoDB stand-in: it binds twenty instances
 * together, a sample of real reports still gets through a flood, a store outage neither lifts the ceiling nor drops
 * every report, and `npm run cost`'s flood model over the synthesized app: bounded whatever the flood's size, and
 * the priced alternative of sampling at the edge.
 */
import {
  edgeSampledFloodCostPerDay,
  edgeSampleOneInFor,
  floodCostPerDay,
  FLOOD_TARGET_USD_PER_DAY,
} from '../../scripts/cost/flood';
import { PRICES } from '../../scripts/cost/prices';
import { allStacks } from '../support/assembly';
import { collectorInstances, post } from './support';

const NOW = Date.parse('2026-12-07T12:00:10Z');

const instances = (count: number, budget: { eventsPerMinute: number; sampleOneIn: number; outage: number }) =>
  collectorInstances(
    count,
    {
      budget: {
        eventsPerMinute: budget.eventsPerMinute,
        leaseEvents: 5,
        sampleOneIn: budget.sampleOneIn,
        outageSharePerInstance: budget.outage,
      },
    },
    () => NOW,
  );

const vitals = (path: string) => post('/_telemetry/vitals', { path, pageView: true });
let env: Awaited<ReturnType<typeof instances>>;
afterEach(() => env?.close());

it('holds twenty instances to one budget a minute; over it, refuses with 429 but samples one in N', async () => {
  env = await instances(20, { eventsPerMinute: 50, sampleOneIn: 20, outage: 50 });
  const statuses: number[] = [];
  for (let round = 0; round < 30; round++)
    statuses.push(
      ...(await Promise.all(env.handlers.map((handle) => handle(vitals('/flood')).then((r) => r.statusCode)))),
    );
  const budgeted = env.stored.filter((s) => !s.sampled);
  const sampled = env.stored.filter((s) => s.sampled);
  expect(budgeted.length).toBeLessThanOrEqual(50);
  expect(budgeted.length).toBeGreaterThanOrEqual(30); // leases left unspent in other instances are the only loss
  // 600 requests, ≤ 50 in budget: about 28 sampled; 5 and 60 are each over six standard deviations away.
  expect(sampled.length).toBeGreaterThan(5);
  expect(sampled.length).toBeLessThan(60);
  expect(statuses.filter((s) => s === 429).length).toBe(600 - env.stored.length);
});

it('counts a large event once per KiB, so the budget bounds bytes as well as lines', async () => {
  env = await instances(1, { eventsPerMinute: 20, sampleOneIn: 1_000_000, outage: 20 });
  const big = post('/_telemetry/errors', { message: 'x'.repeat(400), stack: 'y'.repeat(9000), path: '/' });
  const answers = [];
  for (let i = 0; i < 4; i++) answers.push((await env.handlers[0](big)).statusCode);
  // ≈ 9.5 KiB each: two fit in 20 units, the third does not.
  expect(answers).toEqual([204, 204, 429, 429]);
});

it('still accepts a sample of real reports during a flood, across instances', async () => {
  env = await instances(10, { eventsPerMinute: 20, sampleOneIn: 10, outage: 20 });
  for (let round = 0; round < 60; round++)
    await Promise.all(
      env.handlers.map((handle, i) => handle(vitals(i === 0 && round % 2 === 0 ? '/patients' : '/book'))),
    );
  const real = env.stored.filter((s) => s.path === '/patients');
  // 30 real reports among 600 requests; the budget goes to whoever came first, then 1 in 10 is sampled.
  expect(real.length).toBeGreaterThan(0);
  expect(env.stored.filter((s) => !s.sampled).length).toBeLessThanOrEqual(20);
});

it('while the store fails, each instance accepts its share only', async () => {
  env = await instances(4, { eventsPerMinute: 40, sampleOneIn: 1_000_000, outage: 10 });
  env.dynamodb.behaviour = 'fail';
  for (let round = 0; round < 20; round++) await Promise.all(env.handlers.map((handle) => handle(vitals('/'))));
  expect(env.stored).toHaveLength(40);
});

const resourcesOf = (stage: string) =>
  Object.assign(
    {},
    ...allStacks()
      .filter((s) => s.stackName.startsWith(`${stage}-`))
      .map((s) => s.template.Resources),
  );

describe.each(['Staging', 'Production'])('%s: a flood from 10,000 addresses at the WAF limits', (stage) => {
  const resources = resourcesOf(stage);
  // What the synthesized all-address rule lets through, per second (its window is 5 minutes).
  const acl = Object.values(resources).find((r: any) => r.Type === 'AWS::WAFv2::WebACL') as any;
  const totalLimit = acl.Properties.Rules.find((r: any) => r.Name === 'TelemetryRateTotal').Statement
    .RateBasedStatement;
  const limitPerSecond = totalLimit.Limit / totalLimit.EvaluationWindowSec;

  it('reaches Lambda@Edge, the collector and the routing function only under the all-address limit, at any flood size', () => {
    const flood = floodCostPerDay(resources, 10_000);
    expect(flood.offeredPerSecond).toBe(10_000);
    expect(flood.passedPerSecond).toBeCloseTo(limitPerSecond);
    // The routing function sets the release header on /_telemetry/* too: one call and two store reads a request.
    const routing = flood.telemetry.find((l) => /^Routing function \+ 2 store reads/.test(l.item))!;
    expect(routing.perDay).toBeCloseTo(limitPerSecond * 86_400);
    expect(routing.usd).toBeCloseTo(
      limitPerSecond * 86_400 * (PRICES.cloudFrontFunctionInvocation + 2 * PRICES.keyValueStoreRead),
    );
    expect(floodCostPerDay(resources, 1_000_000).telemetryUsd).toBeCloseTo(flood.telemetryUsd);
    // Without the all-address WAF limit, the per-address limit alone lets the whole flood through.
    const acl = Object.values<any>(resources).find((r) => r.Type === 'AWS::WAFv2::WebACL');
    const withoutTotal = {
      ...resources,
      acl: {
        ...acl,
        Properties: {
          ...acl.Properties,
          Rules: acl.Properties.Rules.map((r: any) =>
            r.Name === 'TelemetryRateTotal'
              ? { ...r, Statement: { RateBasedStatement: { ...r.Statement.RateBasedStatement, Limit: 2e9 } } }
              : r,
          ),
        },
      },
    };
    delete withoutTotal[Object.keys(resources).find((k) => resources[k] === acl)!];
    expect(floodCostPerDay(withoutTotal, 10_000).telemetryUsd).toBeGreaterThan(100);
  });

  it('what telemetry adds under the flood is ≤ $5 a day', () => {
    expect(floodCostPerDay(resources, 10_000).telemetryUsd).toBeLessThanOrEqual(FLOOD_TARGET_USD_PER_DAY);
  });

  it('the edge-sampled alternative (not built) pays the function on every request: no 1 in N meets $5', () => {
    const offeredPerDay = 10_000 * 86_400;
    const forwardsToday = Math.round(10_000 / limitPerSecond);
    for (const oneIn of [forwardsToday, 10_000]) {
      const alternative = edgeSampledFloodCostPerDay(resources, 10_000, oneIn);
      expect(alternative.functionUsd).toBeCloseTo(
        offeredPerDay * PRICES.cloudFrontFunctionInvocation + (offeredPerDay / oneIn) * 2 * PRICES.keyValueStoreRead,
      );
      expect(alternative.telemetryUsd).toBeGreaterThan(FLOOD_TARGET_USD_PER_DAY);
    }
    // Forwarding what today's limit lets through costs today's behind-the-function part.
    const today = floodCostPerDay(resources, 10_000);
    const routing = today.telemetry[0].usd;
    expect(edgeSampledFloodCostPerDay(resources, 10_000, 10_000 / limitPerSecond).behindUsd).toBeCloseTo(
      today.telemetryUsd - routing,
    );
    expect(edgeSampleOneInFor(resources, 10_000, FLOOD_TARGET_USD_PER_DAY)).toBeUndefined();
    // At a flood of 100 addresses the function costs $0.86 a day, and a sparse enough sample meets the target.
    const oneIn = edgeSampleOneInFor(resources, 100, FLOOD_TARGET_USD_PER_DAY)!;
    expect(edgeSampledFloodCostPerDay(resources, 100, oneIn).telemetryUsd).toBeLessThanOrEqual(
      FLOOD_TARGET_USD_PER_DAY,
    );
    expect(edgeSampledFloodCostPerDay(resources, 100, oneIn - 1).telemetryUsd).toBeGreaterThan(
      FLOOD_TARGET_USD_PER_DAY,
    );
  });
});
