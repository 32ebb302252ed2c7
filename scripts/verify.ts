/**
 * Post-deploy verification: the live site against what was synthesized, the app in Chromium, then the critical
 * alarms over a settle window, skipped once a check found the release bad so the rollback is not delayed.
 * MIKO_SITE_URL, MIKO_ASSEMBLY and MIKO_TIME_SCALE stand in for the domain, cdk.out and clock (a gameday).
 * Exit 3 means no rollback: a person looks (docs/runbooks/deploy.md).
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { readLiveRelease } from '../lambda/shared/release-pointer';
import { EnvironmentName, loadAppConfig } from '../lib/config';
import { STAGE_IDS } from '../lib/stage-ids';
import { explainAwsError } from './lib/aws-access';
import { readFreshAssembly } from './lib/read-assembly';
import { siteUrl } from './lib/site-url';
import { clientsFrom, siteOutputs } from './lib/release-aws';
import { Clock, judgeAlarms, waitForAlarmsToClear } from './verify/alarm-check';
import { environmentFlag, FlagValues, Io, processIo, runCommand, runIfMain, UsageError } from './lib/command';
import { alarmSelection, expectedHeaders, expectedRelease, releaseSettleWindow } from './verify/assembly';
import { CheckResult, EXIT, couldNotCheck, exitCodeFor, formatResult } from './verify/check';
import { checkAppInBrowser } from './verify/browser-check';
import { checkCanary } from './verify/canary-check';
import { checkObservatoryScore } from './verify/observatory-check';
import { checkSite, REQUEST_TIMEOUT_MS } from './verify/site-checks';

const USAGE = `usage: npm run verify -- --env <staging|production> (--since <ISO time> | --after-rollback | --skip-alarms) [--url <base-url>] [--release <id>|live] [--assembly <cdk.out>] [--clear-timeout <s>] [--score] [--browser]
       npm run verify -- --env <staging|production> --canary [--release <id>] [--url <base-url>]
Exit codes: 0 good, 1 release bad (FAIL lines), 2 usage, 3 could not check (UNKNOWN lines: site or CloudWatch unreachable)`;

/** How often the alarms are read while watching: CloudWatch evaluates high-resolution alarms every 10 s. */
export const ALARM_POLL_SECONDS = 10;
/** After a rollback, how long to wait for critical alarms to clear: the slowest (latency, 2 × 1 min) clears well within. */
export const DEFAULT_CLEAR_TIMEOUT_SECONDS = 600;

export type AlarmMode =
  | { readonly kind: 'skip' }
  /** After a deploy: judge the release; `since` is when the deploy started. */
  | { readonly kind: 'judge'; readonly since: Date }
  | { readonly kind: 'after-rollback'; readonly clearTimeoutSeconds: number };

export interface VerifyOptions {
  readonly env: EnvironmentName;
  readonly url: string;
  /** The release that must be live; 'live' means the one the pointer names. */
  readonly release?: string;
  readonly alarms: AlarmMode;
  /** Also grade `/` with the MDN HTTP Observatory's analyzer. */
  readonly score?: boolean;
  /** Also load `/` in Chromium and fail on page errors (scripts/verify/browser-check.ts). */
  readonly browser?: boolean;
  readonly assemblyDir: string;
  readonly region: string;
  /** Tests pass a virtual clock so a whole settle window runs at once. */
  readonly clock?: Clock;
}

export async function verify(
  options: VerifyOptions,
  print: (line: string) => void = console.log,
): Promise<CheckResult[]> {
  // An assembly older than the config or app-dist/ would make every expectation below a stale one: refuse it.
  readFreshAssembly(options.assemblyDir);
  const stage = STAGE_IDS[options.env];
  const release =
    options.release === 'live'
      ? await pointedRelease(options.env)
      : (options.release ?? expectedRelease(options.assemblyDir, stage));
  const origin =
    options.release === 'live'
      ? ' (the live pointer)'
      : options.release
        ? ''
        : " (the Site stack's ReleaseId in the assembly)";
  print(`verify ${options.env} at ${options.url}${release ? `, expecting release ${release}${origin}` : ''}`);
  const results = await checkSite(options.url, { headers: expectedHeaders(options.assemblyDir, stage), release });
  if (options.score) results.push(await checkObservatoryScore(options.url, REQUEST_TIMEOUT_MS));
  if (options.browser) results.push(await checkAppInBrowser(options.url));
  for (const result of results) print(formatResult(result));
  // A release already found bad is rolled back now: the settle window would only delay that.
  const alreadyBad = exitCodeFor(results) === EXIT.releaseBad && options.alarms.kind === 'judge';
  if (alreadyBad) print('NOTE  not watching the alarms: a check above already found the release bad');
  const alarms = alreadyBad ? undefined : await checkAlarms(options, stage, print);
  if (alarms) {
    results.push(alarms);
    print(formatResult(alarms));
  }
  const failed = results.filter((r) => !r.ok).length;
  const verdict = { [EXIT.good]: 'good', [EXIT.releaseBad]: 'RELEASE BAD', [EXIT.couldNotCheck]: 'COULD NOT CHECK' }[
    exitCodeFor(results)
  ];
  print(
    failed === 0
      ? `verify ${options.env}: all ${results.length} checks passed`
      : `verify ${options.env}: ${failed} of ${results.length} checks did not pass: ${verdict}`,
  );
  return results;
}

async function checkAlarms(
  options: VerifyOptions,
  stage: string,
  print: (line: string) => void,
): Promise<CheckResult | undefined> {
  const mode = options.alarms;
  if (mode.kind === 'skip') return undefined;
  const client = new CloudWatchClient({ region: options.region, maxAttempts: 3 });
  let selection;
  try {
    selection = alarmSelection(options.assemblyDir, stage);
  } catch (error) {
    return couldNotCheck(
      'critical alarms',
      `cannot read the alarms from ${options.assemblyDir}: ${(error as Error).message}`,
    );
  }
  if (mode.kind === 'after-rollback') {
    print(`waiting up to ${mode.clearTimeoutSeconds} s for the release-related critical alarms to clear`);
    return waitForAlarmsToClear(client, selection, {
      timeoutSeconds: mode.clearTimeoutSeconds,
      pollSeconds: ALARM_POLL_SECONDS,
      clock: options.clock,
    });
  }
  let window;
  try {
    window = releaseSettleWindow(options.assemblyDir, stage);
  } catch (error) {
    return couldNotCheck('critical alarms', (error as Error).message);
  }
  print(
    `watching the critical alarms for ${window.seconds} s: the slowest modeled time to detect of an alarm the release can cause (${window.setBy.alarm}, npm run ttd)`,
  );
  return judgeAlarms(client, selection, {
    since: mode.since,
    settleSeconds: window.seconds,
    pollSeconds: ALARM_POLL_SECONDS,
    clock: options.clock,
    note: (line) => print(`NOTE  ${line}`),
  });
}

/** The release the environment's pointer names now (CloudFormation outputs → KeyValueStore). */
async function pointedRelease(env: EnvironmentName): Promise<string> {
  const clients = clientsFrom(process.env);
  try {
    const { kvsArn } = await siteOutputs(clients.cloudFormation, env);
    const live = await readLiveRelease(clients.kvs, kvsArn);
    if (!live) throw new Error('the live pointer names no release');
    return live;
  } catch (error) {
    throw explainAwsError('npm run verify -- --release live', loadAppConfig()[env].account, env, error);
  } finally {
    clients.cloudFormation.destroy();
    clients.kvs.destroy();
    clients.s3.destroy();
  }
}

/** MIKO_TIME_SCALE=n: waits last 1/n as long and elapsed time counts n times (a rehearsal's scaled clock). */
export function clockFrom(env: NodeJS.ProcessEnv): Clock | undefined {
  const scale = Number(env.MIKO_TIME_SCALE ?? 1);
  if (!Number.isFinite(scale) || scale <= 1) return undefined;
  const start = Date.now();
  return {
    now: () => start + (Date.now() - start) * scale,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms / scale)),
  };
}

const SPEC = {
  name: 'verify',
  usage: USAGE,
  options: {
    env: { type: 'string' as const },
    url: { type: 'string' as const },
    release: { type: 'string' as const },
    since: { type: 'string' as const },
    'skip-alarms': { type: 'boolean' as const, default: false },
    'after-rollback': { type: 'boolean' as const, default: false },
    'clear-timeout': { type: 'string' as const },
    assembly: { type: 'string' as const },
    score: { type: 'boolean' as const, default: false },
    browser: { type: 'boolean' as const, default: false },
    canary: { type: 'boolean' as const, default: false },
  },
};

type Flags = { [K in 'env' | 'url' | 'release' | 'since' | 'clear-timeout' | 'assembly']?: string } & {
  [K in 'skip-alarms' | 'after-rollback' | 'score' | 'browser' | 'canary']: boolean;
};

function parseOptions(flags: FlagValues): VerifyOptions {
  const values = flags as Flags;
  const env = environmentFlag(values.env);
  const config = loadAppConfig()[env];
  return {
    env,
    url: values.url ?? siteUrl(env),
    release: values.release || undefined,
    alarms: alarmMode(values),
    score: values.score,
    browser: values.browser || values.since !== undefined,
    assemblyDir: values.assembly ?? (process.env.MIKO_ASSEMBLY || 'cdk.out'),
    region: config.region,
    clock: clockFrom(process.env),
  };
}

function alarmMode(values: {
  since?: string;
  'skip-alarms'?: boolean;
  'after-rollback'?: boolean;
  'clear-timeout'?: string;
}): AlarmMode {
  const chosen = [values.since !== undefined, values['skip-alarms'], values['after-rollback']].filter(Boolean).length;
  if (chosen !== 1) throw new UsageError('give exactly one of --since, --after-rollback, --skip-alarms.');
  if (values['skip-alarms']) return { kind: 'skip' };
  if (values['after-rollback']) {
    const clearTimeoutSeconds = Number(values['clear-timeout'] ?? DEFAULT_CLEAR_TIMEOUT_SECONDS);
    if (!Number.isFinite(clearTimeoutSeconds) || clearTimeoutSeconds <= 0)
      throw new UsageError(`--clear-timeout must be a number of seconds, got "${values['clear-timeout']}"`);
    return { kind: 'after-rollback', clearTimeoutSeconds };
  }
  const since = new Date(values.since!);
  if (Number.isNaN(since.getTime()))
    throw new UsageError(
      `--since must be the deploy's start as an ISO 8601 time (date -u +%Y-%m-%dT%H:%M:%SZ), got "${values.since}"`,
    );
  return { kind: 'judge', since };
}

/** `--canary`: the serving canary in Chromium, nothing else (scripts/verify/canary-check.ts). */
async function verifyCanary(values: Flags, io: Io): Promise<number> {
  const env = environmentFlag(values.env);
  const others = ['since', 'after-rollback', 'skip-alarms', 'clear-timeout', 'assembly', 'score', 'browser'] as const;
  const given = others.filter((name) => values[name] !== undefined && values[name] !== false);
  if (given.length > 0)
    throw new UsageError(`--canary checks the canary only; leave out ${given.map((name) => `--${name}`).join(', ')}.`);
  const url = values.url ?? siteUrl(env);
  const clients = clientsFrom(process.env);
  const cloudWatch = new CloudWatchClient({ region: loadAppConfig()[env].region, maxAttempts: 3 });
  try {
    io.out(
      `verify ${env} at ${url}: the serving canary${values.release ? ` (must be ${values.release})` : ''} in Chromium`,
    );
    const results = await checkCanary(
      { env, url, release: values.release, clients, cloudWatch, clock: clockFrom(process.env) },
      io.out,
    );
    for (const result of results) io.out(formatResult(result));
    const code = exitCodeFor(results);
    io.out(
      `verify ${env} --canary: ${code === EXIT.good ? 'good' : code === EXIT.releaseBad ? 'CANARY BAD' : 'COULD NOT CHECK'}`,
    );
    return code;
  } catch (error) {
    io.err(`verify: could not check the canary: ${(error as Error).message}`);
    return EXIT.couldNotCheck;
  } finally {
    cloudWatch.destroy();
    clients.cloudFormation.destroy();
    clients.kvs.destroy();
    clients.s3.destroy();
  }
}

/** The command: parses argv, verifies, and returns the exit code the process ends with. */
export function main(argv: string[], io: Io = processIo): Promise<number> {
  return runCommand(SPEC, argv, io, async (values) => {
    if ((values as Flags).canary) return verifyCanary(values as Flags, io);
    const options = parseOptions(values);
    try {
      return exitCodeFor(await verify(options, io.out));
    } catch (error) {
      io.err(`verify: could not check: ${(error as Error).message}`);
      return EXIT.couldNotCheck;
    }
  });
}

runIfMain(module, main);
