/**
 * What the environment's collector saw the CSP block (or would block, in report-only mode), each with the config
 * change that would allow it or why not (lib/telemetry/csp-advice.ts), from the saved Logs Insights query
 * "what-the-csp-blocked". Report-only on staging is how a practice tightens its policy safely.
 */
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { printTable } from '../bench/measure';
import { ENVIRONMENT_NAMES, EnvironmentName } from '../lib/config';
import { adviceFor, ViolationSummary } from '../lib/telemetry/csp-advice';
import { queryDefinitionName, TELEMETRY_QUERIES } from '../lib/telemetry/queries';
import { logGroupsOfSavedQuery, runQuery } from './lib/logs-insights';
import { environmentFlag, Io, runCommand, runIfMain, UsageError } from './lib/command';

/** `30m`, `24h`, `7d` → milliseconds. */
export function parseSince(value: string): number {
  const match = /^(\d+)([mhd])$/.exec(value);
  if (!match || Number(match[1]) === 0)
    throw new Error(`--since "${value}" is not a duration. Fix: write it like 30m, 24h or 7d.`);
  return Number(match[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 'm' | 'h' | 'd'];
}

export interface CspReportOptions {
  readonly envName: EnvironmentName;
  readonly sinceMs: number;
  readonly client: CloudWatchLogsClient;
  readonly now?: number;
  readonly pollMs?: number;
}

export async function cspReport(
  options: CspReportOptions,
): Promise<Array<ViolationSummary & ReturnType<typeof adviceFor>>> {
  const now = options.now ?? Date.now();
  const logGroupNames = await logGroupsOfSavedQuery(
    options.client,
    queryDefinitionName(options.envName, 'what-the-csp-blocked'),
  );
  const rows = await runQuery(options.client, {
    logGroupNames,
    queryString: TELEMETRY_QUERIES['what-the-csp-blocked'],
    sinceMs: now - options.sinceMs,
    nowMs: now,
    pollMs: options.pollMs,
  });
  return rows.map((row) => {
    const violation: ViolationSummary = {
      directive: row.directive,
      disposition: row.disposition === 'report' ? 'report' : 'enforce',
      blockedUri: row.blockedUri,
      documentPath: row.documentPath,
      reports: Number(row.reports),
      sample: row.sample || undefined,
      sourceFile: row.sourceFile || undefined,
    };
    return { ...violation, ...adviceFor(violation) };
  });
}

const USAGE = `usage: npm run csp-report -- --env <${ENVIRONMENT_NAMES.join('|')}> [--since <30m|24h|7d, default 24h>]
  What the environment's CSP blocked (or would block), with the config change or the reason not to allow it.
  Needs AWS credentials for the environment (Logs Insights).
Exit codes: 0 reported; 1 the query failed; 2 usage.`;

export function main(argv: string[], io: Io): Promise<number> {
  const spec = {
    name: 'csp-report',
    usage: USAGE,
    options: { env: { type: 'string' as const }, since: { type: 'string' as const } },
  };
  return runCommand(spec, argv, io, async (values) => {
    const envName = environmentFlag(values.env);
    const since = String(values.since ?? '24h');
    let sinceMs: number;
    try {
      sinceMs = parseSince(since);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    await printReport(envName, since, sinceMs, io);
    return 0;
  });
}

async function printReport(envName: EnvironmentName, since: string, sinceMs: number, io: Io): Promise<void> {
  const summary = await cspReport({
    envName,
    sinceMs,
    client: new CloudWatchLogsClient({ region: 'us-east-1' }),
  });
  if (summary.length === 0) {
    io.out(`No CSP violations reported in ${envName} in the last ${since}.`);
    return;
  }
  printTable(
    `CSP violations in ${envName}, last ${since}`,
    ['reports', 'mode', 'directive', 'blocked', 'page', 'verdict', 'change'],
    summary.map((s) => [
      String(s.reports),
      s.disposition === 'enforce' ? 'blocked' : 'would block',
      s.directive,
      s.blockedUri,
      s.documentPath,
      s.verdict,
      s.change,
    ]),
  );
}

runIfMain(module, main);
