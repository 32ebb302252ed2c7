/**
 * `npm run check-app -- --env <staging|production> [--dist <dir> | --assembly <dir>] [--path /a --path /b]`: what
 * the app's CI runs before it hands a build over. Synthesizes the app with that build (so the app contract runs
 * first), or reads an assembly already synthesized with it (`--assembly cdk.out` after `npm run synth`), serves it
 * with the preview under the environment's synthesized headers, visits / and each deep link in Chromium, and
 * reports every CSP violation (directive, what was blocked, the hash or config change that would allow it, or why
 * it must not be allowed), failed same-origin request and console error. Exits 1 on any; 0 when the build is clean.
 */
import { resolve } from 'node:path';
import { AppContractError } from '../lib/app-contract';
import { ENVIRONMENT_NAMES, EnvironmentName } from '../lib/config';
import { describeFinding } from './check-app/findings';
import { parseFlags } from './lib/flags';

interface CheckAppArguments {
  readonly envName: EnvironmentName;
  readonly dist?: string;
  readonly assemblyDir?: string;
  readonly paths: string[];
}

/** `--path` may repeat; every other flag is parsed by the shared parser. */
function parseArguments(argv: readonly string[]): CheckAppArguments {
  const paths: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] !== '--path') {
      rest.push(argv[i]);
      continue;
    }
    const path = argv[++i];
    if (path === undefined || !path.startsWith('/'))
      throw new Error(`--path needs a path starting with "/", e.g. --path /booking/confirm`);
    paths.push(path);
  }
  const flags = parseFlags(rest, { env: 'value', dist: 'value', assembly: 'value' });
  const envName = flags.env as EnvironmentName;
  if (!ENVIRONMENT_NAMES.includes(envName)) throw new Error(`--env must be one of ${ENVIRONMENT_NAMES.join(', ')}`);
  if (flags.dist !== undefined && flags.assembly !== undefined) {
    throw new Error(
      '--dist and --assembly exclude each other: an assembly holds the build it was synthesized with. Fix: give --dist to synthesize with that build, or --assembly to check the build of an earlier synth.',
    );
  }
  return {
    envName,
    dist: typeof flags.dist === 'string' ? resolve(flags.dist) : undefined,
    assemblyDir: typeof flags.assembly === 'string' ? resolve(flags.assembly) : undefined,
    paths: ['/', ...paths.filter((p) => p !== '/')],
  };
}

function buildDescription({ dist, assemblyDir }: CheckAppArguments): string {
  if (assemblyDir) return `synthesized in ${assemblyDir}`;
  return dist ?? 'app-dist/';
}

async function check(argv: readonly string[], print: (line: string) => void): Promise<number> {
  const started = performance.now();
  const args = parseArguments(argv);
  // Loaded after the arguments are checked: the CDK app and Chromium's driver take a second to load, and a typo
  // should be answered at once.
  const { checkApp } = await import('./check-app/check');
  const { envName, paths } = args;
  const result = await checkApp(args);
  print(`check-app: ${envName} (${result.cspHeader}), build ${buildDescription(args)}, release ${result.release}`);
  for (const path of paths) {
    const here = result.findings.filter((f) => f.path === path);
    print(`  ${path}: ${here.length === 0 ? 'ok' : `${here.length} problem${here.length === 1 ? '' : 's'}`}`);
    for (const finding of here) print(`    - ${describeFinding(finding)}`);
  }
  print(`  telemetry: the collector accepted ${result.telemetryLines} event line(s) from the app`);
  for (const request of result.unchecked)
    print(`  not checked: ${request} (a stand-in answered {}; what the app does with the real answer is not checked)`);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  print(
    result.findings.length === 0
      ? `clean: no CSP violation, failed request or console error (${seconds} s)`
      : `${result.findings.length} problem(s) (${seconds} s)`,
  );
  return result.findings.length === 0 ? 0 : 1;
}

/** The command: 0 when the build is clean, 1 on any finding, a bad argument or a build that breaks the contract. */
export async function main(
  argv: readonly string[],
  print: (line: string) => void = console.log,
  printError: (line: string) => void = console.error,
): Promise<number> {
  try {
    return await check(argv, print);
  } catch (error) {
    printError(error instanceof AppContractError ? error.message : `check-app: ${(error as Error).message}`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
