/**
 * `npm run synth [-- --env staging|production]`: `cdk synth --quiet '**'` (every stack, nag packs on: without a
 * selector a staged app selects no stack and findings would not fail), or one environment's stacks only, which is
 * about half the work. Exits with the CLI's status.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ENVIRONMENTS_CONTEXT_KEY } from '../lib/stage-ids';
import { ENVIRONMENT_NAMES, EnvironmentName } from '../lib/config/schema';
import { parseFlags } from './lib/flags';

const CDK = join(__dirname, '..', 'node_modules', '.bin', 'cdk');
/** cdk.json's output folder. */
const OUTDIR = join(__dirname, '..', 'cdk.out');

function main(): number {
  const flags = parseFlags(process.argv.slice(2), { env: 'value' });
  const env = flags.env as EnvironmentName | undefined;
  if (env !== undefined && !ENVIRONMENT_NAMES.includes(env)) {
    console.error(`synth: --env must be one of ${ENVIRONMENT_NAMES.join(', ')}`);
    return 2;
  }
  const args = ['synth', '--quiet', '**', ...(env ? ['--context', `${ENVIRONMENTS_CONTEXT_KEY}=${env}`] : [])];
  // The CLI writes over the folder without emptying it: start empty, so nothing of an earlier synth (the other
  // environment's stacks, removed assets) stays beside the new assembly.
  rmSync(OUTDIR, { recursive: true, force: true });
  const result = spawnSync(CDK, args, { stdio: 'inherit' });
  return result.status ?? 1;
}

process.exitCode = main();
