/**
 * `npm run cost [-- --env staging|production] [--assembly cdk.out]`: the fixed monthly cost of each environment,
 * computed from the synthesized templates with the dated price table in scripts/cost/prices.ts, then the levers
 * measured to stay within budget. Also written to docs/cost.md (README links it).
 */
import { ENVIRONMENT_NAMES, EnvironmentName, loadAppConfig } from '../lib/config';
import { STAGE_IDS } from '../lib/stage-ids';
import { TARGET_EVERY_SLOTS } from '../lambda/prober/run';
import { publishedMetricCount, SYNTHETICS_NAMESPACE } from '../lambda/prober/metrics';
import { SLOT_MS, WINDOW_MS } from '../lambda/prober/schedule';
import { alwaysFreeCredit, estimateMonthlyCost, totalUsd } from './cost/estimate';
import { costLevers } from './cost/levers';
import { photoCostLines } from './cost/photos';
import { trailMonthlyCost } from './cost/cloudtrail';
import { PRICES, PRICES_AS_OF, SECONDS_PER_MONTH } from './cost/prices';
import { errorStoreCostPerMillion, telemetryCostPerMillion } from './cost/telemetry';
import {
  edgeSampledFloodCostPerDay,
  edgeSampleOneInFor,
  FloodCost,
  FLOOD_TARGET_USD_PER_DAY,
  floodCostPerDay,
} from './cost/flood';
import { auditRecordCost, releaseControlCostPerMillion } from './cost/release-control';
import { detectionLevers } from './lib/detection-levers';
import { withReportFile } from './lib/report-file';
import { Io, optionalEnvironmentFlag, runCommand, runIfMain } from './lib/command';
import { environmentStacks } from './lib/read-assembly';
import { synthesizedAssembly } from './lib/synthesized';

/** Hours a NAT gateway runs in a month (it bills every hour it exists). */
const FIXED_EGRESS_IP_HOURS = SECONDS_PER_MONTH / 3600;

/** The budget the platform was designed to: a practice should not pay more than this for an idle environment. */
const BUDGET_USD = 30;
/** Where this branch aims, leaving room for the parts still to come (client telemetry, backups). */
const HEADROOM_TARGET_USD = 25;

/**
 * How the prober behaves (lambda/prober): one invocation a minute runs its whole window, sends one PutMetricData
 * per slot, and publishes the metrics lambda/prober/metrics.ts lists (dependencies go to its log, not to metrics).
 */
function proberAssumptions(probesCanary: boolean) {
  const targets = Object.keys(TARGET_EVERY_SLOTS).filter((t) => probesCanary || t !== 'canary').length;
  return {
    namespace: SYNTHETICS_NAMESPACE,
    secondsPerInvocation: WINDOW_MS / 1000,
    putMetricDataCallsPerInvocation: WINDOW_MS / SLOT_MS,
    customMetrics: publishedMetricCount(targets),
  };
}

/** How many secrets the environment holds (each would need its own age metric and alarm without the one count). */
function secretCount(assembly: ReturnType<typeof synthesizedAssembly>, env: EnvironmentName): number {
  return environmentStacks(assembly, env)
    .flatMap((stack) => Object.values<{ Type: string }>(stack.template.Resources ?? {}))
    .filter((resource) => resource.Type === 'AWS::SecretsManager::Secret').length;
}

/**
 * The decision aid for a flood above TelemetryRateTotal, where every report is blocked, real ones too: what a 1-in-N
 * sample at the edge would cost instead (not built; the WAF has no per-request randomness).
 */
function printEdgeSampledAlternative(resources: Parameters<typeof floodCostPerDay>[0], today: FloodCost): void {
  const { addresses, offeredPerSecond, passedPerSecond } = today;
  const matchingToday = Math.round(offeredPerSecond / passedPerSecond);
  console.log(
    `\nAbove the all-address limit (${passedPerSecond.toFixed(0)}/s) every report is blocked, real ones too. Not built: that rule counts instead, and the routing function on /_telemetry/* forwards 1 in N (it samples before reading the store):`,
  );
  const row = (label: string, usd: string, behind: string, total: string, verdict: string) =>
    console.log(
      `${label.padEnd(34)}${usd.padStart(12)}${behind.padStart(14)}${total.padStart(12)}  ${verdict}`.trimEnd(),
    );
  row('', 'function', 'behind it', 'per day', '');
  for (const oneIn of [matchingToday, 1_000, 10_000]) {
    const alt = edgeSampledFloodCostPerDay(resources, addresses, oneIn);
    const verdict = alt.telemetryUsd <= FLOOD_TARGET_USD_PER_DAY ? 'met' : 'NOT MET';
    row(
      `1 in ${oneIn.toLocaleString('en-US')}${oneIn === matchingToday ? ` (forwards today's ${passedPerSecond.toFixed(0)}/s)` : ''}`,
      `$${alt.functionUsd.toFixed(2)}`,
      `$${alt.behindUsd.toFixed(2)}`,
      `$${alt.telemetryUsd.toFixed(2)}`,
      `(today $${today.telemetryUsd.toFixed(2)}, target ≤ $${FLOOD_TARGET_USD_PER_DAY}: ${verdict})`,
    );
  }
  const needed = edgeSampleOneInFor(resources, addresses, FLOOD_TARGET_USD_PER_DAY);
  const floor = edgeSampledFloodCostPerDay(resources, addresses, Infinity);
  console.log(
    needed === undefined
      ? `No N meets $${FLOOD_TARGET_USD_PER_DAY}: the function on every request alone costs $${floor.functionUsd.toFixed(2)} a day here ($${floor.telemetryUsd.toFixed(2)} with the budget's fixed part), and it grows with the flood's addresses, where today's ceiling does not.`
      : `1 in ${needed.toLocaleString('en-US')} or sparser meets $${FLOOD_TARGET_USD_PER_DAY} at this flood; the function's part grows with the flood's addresses, where today's ceiling does not.`,
  );
}

/** Prints the report (console.log, which withReportFile also writes to docs/cost.md); true when over budget. */
function report(env: EnvironmentName | undefined, assemblyDir: string | undefined): boolean {
  const envs = env ? [env] : [...ENVIRONMENT_NAMES];
  const config = loadAppConfig();
  const assembly = synthesizedAssembly(assemblyDir);
  console.log(
    `# Fixed monthly cost before traffic (us-east-1 list prices as of ${PRICES_AS_OF}; permanent per-account free allowances credited, 12-month trials not)`,
  );
  let overBudget = false;
  for (const env of envs) {
    const prober = proberAssumptions(config[env].site.canary !== null);
    const lines = estimateMonthlyCost(
      environmentStacks(assembly, env).map((s) => s.template),
      prober,
    );
    // The trail is priced from assumptions (scripts/cost/cloudtrail.ts), as the account's first trail when it is on.
    const trail = trailMonthlyCost(config[env].audit.retentionDays / 30);
    const hasTrail = environmentStacks(assembly, env).some((s) =>
      Object.values<{ Type: string }>(s.template.Resources ?? {}).some((r) => r.Type === 'AWS::CloudTrail::Trail'),
    );
    if (hasTrail)
      lines.push({
        item: 'CloudTrail trail (audit.cloudTrail: log files, data keys, storage)',
        quantity: 1,
        monthlyUsd: trail.firstCopyUsd,
        basis: `first copy of management events free; $${trail.secondCopyUsd.toFixed(2)} beside an organization trail: ${trail.basis}`,
        unit: 'other',
      });
    const listPrice = totalUsd(lines);
    lines.push(alwaysFreeCredit(lines));
    const total = totalUsd(lines);
    overBudget ||= total > BUDGET_USD;
    const width = Math.max(...lines.map((l) => l.item.length));
    console.log(`\n## ${env}\n`);
    for (const l of lines)
      console.log(
        `${l.item.padEnd(width)}  ${String(l.quantity).padStart(6)}  $${l.monthlyUsd.toFixed(2).padStart(6)}  ${l.basis}`,
      );
    console.log(
      `${'Total'.padEnd(width)}          $${total.toFixed(2).padStart(6)}  (target ≤ $${BUDGET_USD}, aim ≤ $${HEADROOM_TARGET_USD} for headroom; $${listPrice.toFixed(2)} at list price)`,
    );
    if (!hasTrail)
      console.log(
        `Option off: audit.cloudTrail (a trail of its own) would add $${trail.firstCopyUsd.toFixed(2)}/month as the account's first trail, $${trail.secondCopyUsd.toFixed(2)} beside an organization trail (${trail.basis}).`,
      );
    if (!config[env].backups.fixedEgressIp)
      console.log(
        `Option off: backups.fixedEgressIp (NAT gateway + Elastic IP for a network-restricted Supabase) would add $${(FIXED_EGRESS_IP_HOURS * (PRICES.natGatewayHour + PRICES.publicIpv4Hour)).toFixed(2)}/month plus $0.045/GB.`,
      );
    const monitoring = environmentStacks(assembly, env).find((s) => s.stackName === `${STAGE_IDS[env]}-Monitoring`);
    if (monitoring) {
      const levers = costLevers(
        config[env].health.checks.length,
        secretCount(assembly, env),
        detectionLevers(monitoring.template),
      );
      const leverWidth = Math.max(...levers.map((l) => l.lever.length));
      console.log(`\nLevers measured (monthly effect; time to detect by the \`npm run ttd\` model):`);
      for (const l of levers)
        console.log(
          `${l.lever.padEnd(leverWidth)}  ${l.monthlyUsd < 0 ? '-' : '+'}$${Math.abs(l.monthlyUsd).toFixed(2).padStart(5)}  ${l.timeToDetect}`,
        );
    }
  }
  console.log(`\n## Patients' photos in the backup vault (per environment that copies them)\n`);
  for (const line of photoCostLines()) console.log(line);
  const telemetryLines = telemetryCostPerMillion(
    Object.assign({}, ...environmentStacks(assembly, envs[0]).map((s) => s.template.Resources ?? {})),
  );
  const perMillion = telemetryLines.reduce((sum, l) => sum + l.usd, 0);
  console.log('\n## Client telemetry per million events (CSP reports, browser reports, errors, vitals beacons)\n');
  for (const l of telemetryLines) console.log(`${l.item.padEnd(70)}  $${l.usd.toFixed(2).padStart(6)}`);
  console.log(`${'Total per million events'.padEnd(70)}  $${perMillion.toFixed(2).padStart(6)}`);
  console.log(
    `${'Errors add, per million, at most (one conditional DynamoDB write each)'.padEnd(70)}  $${errorStoreCostPerMillion().toFixed(2).padStart(6)}`,
  );
  console.log(
    'Its fixed cost is in the lines above: the WAF rule, the client alarms and the metrics they watch (billed in a month only once data arrives).',
  );
  for (const env of envs) {
    const resources = Object.assign({}, ...environmentStacks(assembly, env).map((s) => s.template.Resources ?? {}));
    const flood = floodCostPerDay(resources, 10_000);
    console.log(
      `\n## ${env}: a telemetry flood from ${flood.addresses.toLocaleString('en-US')} addresses (IPv4 or IPv6 /64s), each at the WAF's per-address limit, all day\n`,
    );
    console.log(
      `Offered ${flood.offeredPerSecond.toFixed(0)} requests/s; under the WAF's all-address limit ${flood.passedPerSecond.toFixed(0)}/s reach Lambda@Edge and the collector.`,
    );
    for (const l of flood.telemetry)
      console.log(
        `${l.item.padEnd(82)}  ${Math.round(l.perDay).toExponential(2).padStart(9)}  $${l.usd.toFixed(2).padStart(7)}`,
      );
    console.log(
      `${'What telemetry adds, per day'.padEnd(82)}             $${flood.telemetryUsd.toFixed(2).padStart(7)}  (target ≤ $${FLOOD_TARGET_USD_PER_DAY}: ${flood.telemetryUsd <= FLOOD_TARGET_USD_PER_DAY ? 'met' : 'NOT MET'})`,
    );
    for (const l of flood.edge)
      console.log(
        `${l.item.padEnd(82)}  ${Math.round(l.perDay).toExponential(2).padStart(9)}  $${l.usd.toFixed(2).padStart(7)}`,
      );
    console.log(
      `${'The edge, per day: what a flood of ANY path costs (CloudFront and WAF bill blocked requests too)'.padEnd(82)}             $${flood.edgeUsd.toFixed(2).padStart(7)}`,
    );
    overBudget ||= flood.telemetryUsd > FLOOD_TARGET_USD_PER_DAY;
    printEdgeSampledAlternative(resources, flood);
  }
  const siteResources = Object.assign(
    {},
    ...environmentStacks(assembly, envs[0])
      .filter((s) => s.stackName === `${STAGE_IDS[envs[0]]}-Site`)
      .map((s) => s.template.Resources ?? {}),
  );
  const releaseLines = releaseControlCostPerMillion(siteResources);
  console.log('\n## Release control per million page requests (canary routing, release header, flags)\n');
  for (const l of releaseLines) console.log(`${l.item.padEnd(70)}  $${l.usd.toFixed(2).padStart(6)}`);
  console.log(
    `${'Total per million page requests'.padEnd(70)}  $${releaseLines
      .reduce((sum, l) => sum + l.usd, 0)
      .toFixed(2)
      .padStart(6)}`,
  );
  console.log(
    `${'Per recorded change (audit trail: list, read, put, a year stored)'.padEnd(70)}  $${auditRecordCost().toFixed(6)}`,
  );
  console.log(
    "Fixed: the two canary alarms (prober, verify's Chromium), the prober's canary target and the abort function are in the lines above.",
  );
  console.log(
    '\nNot included (priced by traffic): CloudFront requests and bytes, WAF requests ($0.60/million), S3 requests,',
  );
  console.log('KeyValueStore reads, Lambda calls by visitors, CloudWatch Logs ingestion, SNS deliveries.');
  return overBudget;
}

const USAGE = `usage: npm run cost [-- --env <${ENVIRONMENT_NAMES.join('|')}>] [--assembly <cdk.out>]
  The fixed monthly cost of each environment from the synthesized templates, and the levers; writes docs/cost.md.
Exit codes: 0 within budget; 1 over budget, or the app did not synthesize; 2 usage.`;

export function main(argv: string[], io: Io): Promise<number> {
  const spec = {
    name: 'cost',
    usage: USAGE,
    options: { env: { type: 'string' as const }, assembly: { type: 'string' as const } },
  };
  return runCommand(spec, argv, io, async (values) => {
    const env = optionalEnvironmentFlag(values.env);
    let overBudget = false;
    await withReportFile('cost', 'npm run cost', () => {
      overBudget = report(env, values.assembly as string | undefined);
    });
    return overBudget ? 1 : 0;
  });
}

runIfMain(module, main);
