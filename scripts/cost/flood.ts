/**
 * A telemetry flood's worst-case daily cost from the synthesized templates (WAF limits, event budget, notice caps,
 * memory), every address at its limit all day. CloudFront and WAF bill every request, blocked or not; telemetry
 * adds only what passes the all-address limit. Also priced, not built: a counting all-address rule, and sampling
 * 1 in N at the routing function (WAF cannot).
 */
import { PRICES } from './prices';
import { TELEMETRY_ASSUMPTIONS } from './telemetry';
import { SETTINGS_VARIABLE, CollectorSettings } from '../../lambda/telemetry/settings';
import { BUDGET_UNIT_BYTES } from '../../lambda/telemetry/collector';
import { TELEMETRY_PATH_PATTERN } from '../../lib/telemetry/paths';
import { STORE_READS_PER_FUNCTION } from './release-control';
import {
  DistributionProperties,
  LambdaFunctionProperties,
  propertiesOf,
  Resources,
  WebAclProperties,
} from '../../tools/analysis/template';

const DAY_S = 86_400;
/** Lambda's START/END/REPORT lines per invocation in the function's log group. */
const PLATFORM_LOG_BYTES_PER_INVOCATION = 350;
/** An event line's fields and EMF block beyond the bytes of its part of the body. */
const LINE_OVERHEAD_BYTES = 700;
/** The target the issue set: a flood from 10,000 addresses costs the practice at most this a day in telemetry. */
export const FLOOD_TARGET_USD_PER_DAY = 5;

export interface FloodLine {
  readonly item: string;
  readonly perDay: number;
  readonly usd: number;
}

export interface FloodCost {
  readonly addresses: number;
  readonly offeredPerSecond: number;
  readonly passedPerSecond: number;
  readonly edge: FloodLine[];
  readonly telemetry: FloodLine[];
  readonly edgeUsd: number;
  readonly telemetryUsd: number;
}

function telemetryRateRules(resources: Resources): { perAddress: number; allAddresses: number } {
  const rules = Object.values(resources)
    .filter((r) => r.Type === 'AWS::WAFv2::WebACL')
    .flatMap((r) => propertiesOf<WebAclProperties>(r)?.Rules ?? []);
  const limitOf = (name: string) => {
    const limit = rules.find((r) => r.Name === name)?.Statement.RateBasedStatement?.Limit;
    if (limit === undefined) throw new Error(`no WAF rule ${name} in the templates: the flood cost needs it`);
    return limit;
  };
  return { perAddress: limitOf('TelemetryRatePerIp'), allAddresses: limitOf('TelemetryRateTotal') };
}

function collectorOf(resources: Resources): { memoryGb: number; settings: CollectorSettings } {
  for (const r of Object.values(resources)) {
    const p = r.Type === 'AWS::Lambda::Function' ? propertiesOf<LambdaFunctionProperties>(r) : undefined;
    const raw = p?.Environment?.Variables?.[SETTINGS_VARIABLE];
    if (typeof raw === 'string')
      return { memoryGb: (p?.MemorySize ?? 128) / 1024, settings: JSON.parse(raw) as CollectorSettings };
  }
  throw new Error('no telemetry collector Lambda in the templates');
}

/** The viewer-request functions a /_telemetry/* request runs (the routing function: it sets the release header). */
function telemetryFunctionsOf(resources: Resources): number {
  const distribution = Object.values(resources).find((r) => r.Type === 'AWS::CloudFront::Distribution');
  const behaviours = propertiesOf<DistributionProperties>(distribution)?.DistributionConfig?.CacheBehaviors ?? [];
  const telemetry = behaviours.find((b) => b.PathPattern === TELEMETRY_PATH_PATTERN);
  if (!telemetry) throw new Error(`no ${TELEMETRY_PATH_PATTERN} behaviour in the templates: the flood cost needs it`);
  return (telemetry.FunctionAssociations ?? []).length;
}

interface FloodModel {
  readonly waf: { perAddress: number; allAddresses: number };
  readonly memoryGb: number;
  readonly settings: CollectorSettings;
  readonly functions: number;
}

function floodModel(resources: Resources): FloodModel {
  return { waf: telemetryRateRules(resources), ...collectorOf(resources), functions: telemetryFunctionsOf(resources) };
}

function edgeLines(offered: number): FloodLine[] {
  return [
    {
      item: 'CloudFront HTTPS requests (every request)',
      perDay: offered,
      usd: offered * PRICES.cloudFrontHttpsRequest,
    },
    { item: 'WAF requests (every request)', perDay: offered, usd: offered * PRICES.wafRequest },
  ];
}

/** What `forwarded` requests a day cost from Lambda@Edge on: the hash, the collector, its logs, store and notices. */
function behindTheFunctionLines({ memoryGb, settings }: FloodModel, forwarded: number): FloodLine[] {
  const budgetUnits = settings.budget.eventsPerMinute * 1440;
  // The budget's units bound bytes: each is at most a KiB of body, plus a line's overhead per event.
  const acceptedBytes = budgetUnits * (BUDGET_UNIT_BYTES + LINE_OVERHEAD_BYTES);
  const sampled = forwarded / settings.budget.sampleOneIn;
  const sampledBytes = sampled * (settings.maxBodyBytes + LINE_OVERHEAD_BYTES);
  const loggedBytes = acceptedBytes + sampledBytes + forwarded * PLATFORM_LOG_BYTES_PER_INVOCATION;
  const a = TELEMETRY_ASSUMPTIONS;
  const caps = settings.notify.caps;
  // Per minute: every counter up to its cap + 1 and back, and one refused write per instance before it remembers.
  const capWrites = 1440 * (3 * (caps.perMinute + 1) * 2 + 20);
  const leaseWrites = 1440 * (settings.budget.eventsPerMinute / settings.budget.leaseEvents + 20);
  return [
    {
      item: `Lambda@Edge payload hash`,
      perDay: forwarded,
      usd:
        forwarded *
        (PRICES.lambdaEdgeRequest + (a.edgeMemoryMb / 1024) * (a.edgeBilledMs / 1000) * PRICES.lambdaEdgeGbSecond),
    },
    {
      item: `Collector invocations (${memoryGb * 1024} MB, ${a.collectorBilledMs} ms billed)`,
      perDay: forwarded,
      usd: forwarded * (PRICES.lambdaRequest + memoryGb * (a.collectorBilledMs / 1000) * PRICES.lambdaArmGbSecond),
    },
    {
      item: `Log ingestion: budget ${settings.budget.eventsPerMinute}/min + 1-in-${settings.budget.sampleOneIn} sample + platform lines`,
      perDay: loggedBytes,
      usd: (loggedBytes / 1e9) * PRICES.logsIngestionPerGb,
    },
    {
      item: 'DynamoDB writes: every budgeted event a new kind, budget leases, notice caps',
      perDay: budgetUnits + leaseWrites + capWrites,
      usd: (budgetUnits + leaseWrites + capWrites) * PRICES.dynamoDbWriteRequestUnit,
    },
    {
      item: `SNS notices (day cap ${caps.perDay}, plus the "capped" ones)`,
      perDay: caps.perDay + 3,
      usd: (caps.perDay + 3) * PRICES.snsPublish,
    },
  ];
}

const sum = (lines: FloodLine[]) => lines.reduce((total, l) => total + l.usd, 0);

/** The worst case per day for a flood from `addresses` addresses (IPv4 or IPv6 /64: the WAF counts each one). */
export function floodCostPerDay(resources: Resources, addresses: number): FloodCost {
  const model = floodModel(resources);
  const offeredPerSecond = (addresses * model.waf.perAddress) / 300;
  const passedPerSecond = Math.min(offeredPerSecond, model.waf.allAddresses / 300);
  const offered = offeredPerSecond * DAY_S;
  const passed = passedPerSecond * DAY_S;
  const telemetry: FloodLine[] = [
    {
      item: `Routing function + ${STORE_READS_PER_FUNCTION} store reads (under the all-address limit)`,
      perDay: passed * model.functions,
      usd:
        passed *
        model.functions *
        (PRICES.cloudFrontFunctionInvocation + STORE_READS_PER_FUNCTION * PRICES.keyValueStoreRead),
    },
    ...behindTheFunctionLines(model, passed),
  ];
  const edge = edgeLines(offered);
  return {
    addresses,
    offeredPerSecond,
    passedPerSecond,
    edge,
    telemetry,
    edgeUsd: sum(edge),
    telemetryUsd: sum(telemetry),
  };
}

export interface EdgeSampledFlood {
  readonly oneIn: number;
  /** The routing function on every request (it samples before reading the store), and the store reads of those kept. */
  readonly functionUsd: number;
  /** Lambda@Edge, the collector, its logs, store writes and notices for the forwarded requests. */
  readonly behindUsd: number;
  readonly telemetryUsd: number;
}

/**
 * Not built: TelemetryRateTotal counts instead of blocking, and the routing function (already on /_telemetry/*)
 * forwards one request in `oneIn`, so real reports keep a 1-in-N chance at any flood size.
 */
export function edgeSampledFloodCostPerDay(resources: Resources, addresses: number, oneIn: number): EdgeSampledFlood {
  const model = floodModel(resources);
  const offered = ((addresses * model.waf.perAddress) / 300) * DAY_S;
  const forwarded = offered / oneIn;
  const functionUsd =
    offered * PRICES.cloudFrontFunctionInvocation + forwarded * STORE_READS_PER_FUNCTION * PRICES.keyValueStoreRead;
  const behindUsd = sum(behindTheFunctionLines(model, forwarded));
  return { oneIn, functionUsd, behindUsd, telemetryUsd: functionUsd + behindUsd };
}

/**
 * The smallest N for which the sampled alternative costs at most `targetUsd` a day, or undefined when no N does
 * (the function on every request alone costs more). Cost is a floor plus a part proportional to 1/N.
 */
export function edgeSampleOneInFor(resources: Resources, addresses: number, targetUsd: number): number | undefined {
  const floor = edgeSampledFloodCostPerDay(resources, addresses, Infinity).telemetryUsd;
  if (floor >= targetUsd) return undefined;
  const proportional = edgeSampledFloodCostPerDay(resources, addresses, 1).telemetryUsd - floor;
  return Math.max(1, Math.ceil(proportional / (targetUsd - floor)));
}
