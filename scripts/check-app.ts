/**
 * `npm run check-app -- --env <staging|production> [--dist <dir>] [--path /a --path /b]`: what the app's CI runs
 * before it hands a build over. Synthesizes the app with that build (so the app contract runs first), serves it
 * with the preview under the environment's synthesized headers, visits / and each deep link in Chromium, and
 * reports every CSP violation (directive, what was blocked, the hash or config change that would allow it, or why
 * it must not be allowed), failed same-origin request and console error. Exits 1 on any; 0 when the build is clean.
 */
import { resolve } from 'node:path';
import { AppContractError } from '../lib/app-contract';
import { ENVIRONMENT_NAMES, EnvironmentName } from '../lib/config';
import { checkApp } from './check-app/check';
import { describeFinding } from './check-app/findings';
import { parseFlags } from './lib/synthesized';

/** `--path` may repeat; every other flag is parsed by the shared parser. */
function parseArguments(argv: readonly string[]): { envName: EnvironmentName; dist?: string; paths: string[] } {
  const paths: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] !== '--path') { rest.push(argv[i]); continue; }
    const path = argv[++i];
    if (path === undefined || !path.startsWith('/')) throw new Error(`--path needs a path starting with "/", e.g. --path /booking/confirm`);
    paths.push(path);
  }
  const flags = parseFlags(rest, { env: 'value', dist: 'value' });
  const envName = flags.env as EnvironmentName;
  if (!ENVIRONMENT_NAMES.includes(envName)) throw new Error(`--env must be one of ${ENVIRONMENT_NAMES.join(', ')}`);
  return { envName, dist: typeof flags.dist === 'string' ? resolve(flags.dist) : undefined, paths: ['/', ...paths.filter((p) => p !== '/')] };
}

async function main(): Promise<number> {
  const started = performance.now();
  const { envName, dist, paths } = parseArguments(process.argv.slice(2));
  const result = await checkApp({ envName, dist, paths });
  console.log(`check-app: ${envName} (${result.cspHeader}), build ${dist ?? 'app-dist/'}, release ${result.release}`);
  for (const path of paths) {
    const here = result.findings.filter((f) => f.path === path);
    console.log(`  ${path}: ${here.length === 0 ? 'ok' : `${here.length} problem${here.length === 1 ? '' : 's'}`}`);
    for (const finding of here) console.log(`    - ${describeFinding(finding)}`);
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(result.findings.length === 0 ? `clean: no CSP violation, failed request or console error (${seconds} s)` : `${result.findings.length} problem(s) (${seconds} s)`);
  return result.findings.length === 0 ? 0 : 1;
}

if (require.main === module) {
  main().then((code) => process.exit(code)).catch((error) => {
    console.error(error instanceof AppContractError ? error.message : `check-app: ${(error as Error).message}`);
    process.exit(1);
  });
}
