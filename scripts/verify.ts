/**
 * Post-deploy verification: checks the live site against what was synthesized, one line per check, exit 1 on any
 * failure (the main workflow then rolls back).
 *
 *   npm run verify -- --env staging [--url https://staging.example.com] [--release <id>] [--skip-alarms] [--score] [--assembly cdk.out]
 *
 * `--score` adds the MDN HTTP Observatory's grade of `/` (its own analyzer, run offline on what was fetched).
 */
import { parseArgs } from 'node:util';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ENVIRONMENT_NAMES, EnvironmentName, loadAppConfig } from '../lib/config';
import { STAGE_IDS } from '../lib/stage';
import { readFreshAssembly } from './lib/synthesized';
import { checkAlarms } from './verify/alarm-check';
import { alarmSelection, expectedHeaders, expectedRelease } from './verify/assembly';
import { CheckResult, formatResult } from './verify/check';
import { checkObservatoryScore } from './verify/observatory-check';
import { checkSite, REQUEST_TIMEOUT_MS } from './verify/site-checks';

const USAGE = 'usage: npm run verify -- --env <staging|production> [--url <base-url>] [--release <id>] [--skip-alarms] [--score] [--assembly <cdk.out>]';

export interface VerifyOptions {
  readonly env: EnvironmentName;
  readonly url: string;
  readonly release?: string;
  readonly skipAlarms: boolean;
  /** Also grade `/` with the MDN HTTP Observatory's analyzer. */
  readonly score?: boolean;
  readonly assemblyDir: string;
  readonly region: string;
}

export async function verify(options: VerifyOptions, print: (line: string) => void = console.log): Promise<CheckResult[]> {
  // An assembly older than the config or app-dist/ would make every expectation below a stale one: refuse it.
  readFreshAssembly(options.assemblyDir);
  const stage = STAGE_IDS[options.env];
  const release = options.release ?? expectedRelease(options.assemblyDir, stage);
  const origin = options.release ? '' : ' (the Site stack\'s ReleaseId in the assembly)';
  print(`verify ${options.env} at ${options.url}${release ? `, expecting release ${release}${origin}` : ''}`);
  const results = await checkSite(options.url, { headers: expectedHeaders(options.assemblyDir, stage), release });
  if (options.score) results.push(await checkObservatoryScore(options.url, REQUEST_TIMEOUT_MS));
  if (!options.skipAlarms) {
    results.push(await checkAlarms(new CloudWatchClient({ region: options.region, maxAttempts: 2 }), alarmSelection(options.assemblyDir, stage)));
  }
  for (const result of results) print(formatResult(result));
  const failed = results.filter((r) => !r.ok).length;
  print(failed === 0 ? `verify ${options.env}: all ${results.length} checks passed` : `verify ${options.env}: ${failed} of ${results.length} checks FAILED`);
  return results;
}

function parseOptions(argv: string[]): VerifyOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      env: { type: 'string' }, url: { type: 'string' }, release: { type: 'string' },
      'skip-alarms': { type: 'boolean', default: false }, score: { type: 'boolean', default: false }, assembly: { type: 'string', default: 'cdk.out' },
    },
  });
  const env = values.env as EnvironmentName;
  if (!ENVIRONMENT_NAMES.includes(env)) throw new Error(`--env must be ${ENVIRONMENT_NAMES.join(' or ')}.\n${USAGE}`);
  const config = loadAppConfig()[env];
  return {
    env,
    url: values.url ?? `https://${config.domain.name}`,
    release: values.release || undefined,
    skipAlarms: values['skip-alarms'] ?? false,
    score: values.score ?? false,
    assemblyDir: values.assembly ?? 'cdk.out',
    region: config.region,
  };
}

if (require.main === module) {
  (async () => {
    const results = await verify(parseOptions(process.argv.slice(2)));
    process.exit(results.every((r) => r.ok) ? 0 : 1);
  })().catch((error: Error) => {
    console.error(`verify: ${error.message}`);
    process.exit(2);
  });
}
