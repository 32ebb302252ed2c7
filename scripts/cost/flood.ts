/**
 * What a telemetry flood costs per day, worst case, from the SYNTHESIZED templates: the WAF's limits on
 * `/_telemetry/*` (per address and over all addresses), the collector's event budget, notice caps and memory.
 *
 * Every address sends at its per-address limit, all day. CloudFront and the WAF bill every request, blocked or not:
 * that "edge" part is what a flood of any path costs (priced here, not bounded by telemetry's design). What
 * telemetry adds is bounded: only requests under the WAF's all-address limit reach Lambda@Edge and the collector,
 * and only the event budget (plus a 1-in-N sample) is logged and fingerprinted.
 */
import { PRICES } from './prices';
import { TELEMETRY_ASSUMPTIONS } from './telemetry';
import { SETTINGS_VARIABLE, CollectorSettings } from '../../lambda/telemetry/settings';
import { BUDGET_UNIT_BYTES } from '../../lambda/telemetry/collector';

type Resources = Record<string, { Type: string; Properties?: Record<string, any> }>;

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
    .flatMap((r) => r.Properties?.Rules ?? []);
  const limitOf = (name: string) => {
    const rule = rules.find((r: any) => r.Name === name);
    if (!rule) throw new Error(`no WAF rule ${name} in the templates: the flood cost needs it`);
    return rule.Statement.RateBasedStatement.Limit as number;
  };
  return { perAddress: limitOf('TelemetryRatePerIp'), allAddresses: limitOf('TelemetryRateTotal') };
}

function collectorOf(resources: Resources): { memoryGb: number; settings: CollectorSettings } {
  for (const r of Object.values(resources)) {
    const raw =
      r.Type === 'AWS::Lambda::Function' ? r.Properties?.Environment?.Variables?.[SETTINGS_VARIABLE] : undefined;
    if (typeof raw === 'string')
      return { memoryGb: (r.Properties?.MemorySize ?? 128) / 1024, settings: JSON.parse(raw) as CollectorSettings };
  }
  throw new Error('no telemetry collector Lambda in the templates');
}

/** The worst case per day for a flood from `addresses` addresses (IPv4 or IPv6 /64: the WAF counts each one). */
export function floodCostPerDay(resources: Resources, addresses: number): FloodCost {
  const waf = telemetryRateRules(resources);
  const { memoryGb, settings } = collectorOf(resources);
  const offeredPerSecond = (addresses * waf.perAddress) / 300;
  const passedPerSecond = Math.min(offeredPerSecond, waf.allAddresses / 300);
  const offered = offeredPerSecond * DAY_S;
  const passed = passedPerSecond * DAY_S;
  const budgetUnits = settings.budget.eventsPerMinute * 1440;
  // The budget's units bound bytes: each is at most a KiB of body, plus a line's overhead per event.
  const acceptedBytes = budgetUnits * (BUDGET_UNIT_BYTES + LINE_OVERHEAD_BYTES);
  const sampled = passed / settings.budget.sampleOneIn;
  const sampledBytes = sampled * (settings.maxBodyBytes + LINE_OVERHEAD_BYTES);
  const a = TELEMETRY_ASSUMPTIONS;
  const caps = settings.notify.caps;
  // Per minute: every counter up to its cap + 1 and back, and one refused write per instance before it remembers.
  const capWrites = 1440 * (3 * (caps.perMinute + 1) * 2 + 20);
  const leaseWrites = 1440 * (settings.budget.eventsPerMinute / settings.budget.leaseEvents + 20);
  const edge: FloodLine[] = [
    {
      item: 'CloudFront HTTPS requests (every request)',
      perDay: offered,
      usd: offered * PRICES.cloudFrontHttpsRequest,
    },
    { item: 'WAF requests (every request)', perDay: offered, usd: offered * PRICES.wafRequest },
  ];
  const telemetry: FloodLine[] = [
    {
      item: `Lambda@Edge payload hash (under the all-address limit)`,
      perDay: passed,
      usd:
        passed *
        (PRICES.lambdaEdgeRequest + (a.edgeMemoryMb / 1024) * (a.edgeBilledMs / 1000) * PRICES.lambdaEdgeGbSecond),
    },
    {
      item: `Collector invocations (${memoryGb * 1024} MB, ${a.collectorBilledMs} ms billed)`,
      perDay: passed,
      usd: passed * (PRICES.lambdaRequest + memoryGb * (a.collectorBilledMs / 1000) * PRICES.lambdaArmGbSecond),
    },
    {
      item: `Log ingestion: budget ${settings.budget.eventsPerMinute}/min + 1-in-${settings.budget.sampleOneIn} sample + platform lines`,
      perDay: acceptedBytes + sampledBytes + passed * PLATFORM_LOG_BYTES_PER_INVOCATION,
      usd:
        ((acceptedBytes + sampledBytes + passed * PLATFORM_LOG_BYTES_PER_INVOCATION) / 1e9) * PRICES.logsIngestionPerGb,
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
  const sum = (lines: FloodLine[]) => lines.reduce((total, l) => total + l.usd, 0);
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
