/**
 * What the app's CI runs before it hands a build over: synthesizes the app with the build (so the app contract runs
 * first), serves it with the preview under the environment's synthesized headers and visits / and each deep link in
 * Chromium. Each CSP violation comes with the hash or config change that would allow it, or why it must not.
 */
import { resolve } from 'node:path';
import { AppContractError } from '../lib/app-contract';
import { EnvironmentName } from '../lib/config';
import { describeFinding } from './check-app/findings';
import { environmentFlag, FlagValues, Io, processIo, runCommand, runIfMain, UsageError } from './lib/command';

interface CheckAppArguments {
  readonly envName: EnvironmentName;
  readonly dist?: string;
  readonly assemblyDir?: string;
  readonly paths: string[];
}

const USAGE = `usage: npm run check-app -- --env <staging|production> [--dist <dir> | --assembly <dir>] [--path /a]…
  --dist      the app's build to check (default: app-dist/); the app is synthesized with it
  --assembly  an assembly already synthesized with the build (after npm run synth)
  --path      a deep link to visit besides / (repeat it)
Exit codes: 0 the build is clean; 1 a CSP violation, failed request or console error, or a build that breaks the app contract; 2 usage`;

const SPEC = {
  name: 'check-app',
  usage: USAGE,
  options: {
    env: { type: 'string' as const },
    dist: { type: 'string' as const },
    assembly: { type: 'string' as const },
    path: { type: 'string' as const, multiple: true },
  },
};

function parseArguments(flags: FlagValues): CheckAppArguments {
  const values = flags as { env?: string; dist?: string; assembly?: string; path?: string[] };
  const paths = values.path ?? [];
  for (const path of paths)
    if (!path.startsWith('/'))
      throw new UsageError(`--path needs a path starting with "/", e.g. --path /booking/confirm`);
  const envName = environmentFlag(values.env);
  if (values.dist !== undefined && values.assembly !== undefined) {
    throw new UsageError(
      '--dist and --assembly exclude each other: an assembly holds the build it was synthesized with. Fix: give --dist to synthesize with that build, or --assembly to check the build of an earlier synth.',
    );
  }
  return {
    envName,
    dist: values.dist !== undefined ? resolve(values.dist) : undefined,
    assemblyDir: values.assembly !== undefined ? resolve(values.assembly) : undefined,
    paths: ['/', ...paths.filter((p) => p !== '/')],
  };
}

function buildDescription({ dist, assemblyDir }: CheckAppArguments): string {
  if (assemblyDir) return `synthesized in ${assemblyDir}`;
  return dist ?? 'app-dist/';
}

async function check(args: CheckAppArguments, print: (line: string) => void): Promise<number> {
  const started = performance.now();
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

/** The command: 0 when the build is clean, 1 on any finding or a build that breaks the contract, 2 on usage. */
export function main(argv: string[], io: Io = processIo): Promise<number> {
  return runCommand(SPEC, argv, io, async (values) => {
    const args = parseArguments(values);
    try {
      return await check(args, io.out);
    } catch (error) {
      io.err(error instanceof AppContractError ? error.message : `check-app: ${(error as Error).message}`);
      return 1;
    }
  });
}

runIfMain(module, main);
