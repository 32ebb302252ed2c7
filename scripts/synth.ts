/**
 * `npm run synth [-- --env staging|production]`: `cdk synth --quiet '**'` (every stack, nag packs on: without a
 * selector a staged app selects no stack and findings would not fail), or one environment's stacks only, which is
 * about half the work. Exits with the CLI's status.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ENVIRONMENTS_CONTEXT_KEY } from '../lib/stage-ids';
import { ENVIRONMENT_NAMES } from '../lib/config/schema';
import { Io, optionalEnvironmentFlag, runCommand, runIfMain } from './lib/command';

const CDK = join(__dirname, '..', 'node_modules', '.bin', 'cdk');
/** cdk.json's output folder. */
const OUTDIR = join(__dirname, '..', 'cdk.out');

const USAGE = `usage: npm run synth [-- --env <${ENVIRONMENT_NAMES.join('|')}>]
  Synthesizes both environments (or one) into cdk.out, offline, with the nag packs and CloudFormation Validate.
Exit codes: 0 synthesized; 1 a finding or an error (the CLI's message says which); 2 usage.`;

export function main(argv: string[], io: Io): Promise<number> {
  const spec = { name: 'synth', usage: USAGE, options: { env: { type: 'string' as const } } };
  return runCommand(spec, argv, io, (values) => {
    const env = optionalEnvironmentFlag(values.env);
    const args = ['synth', '--quiet', '**', ...(env ? ['--context', `${ENVIRONMENTS_CONTEXT_KEY}=${env}`] : [])];
    // The CLI writes over the folder without emptying it: start empty, so nothing of an earlier synth stays.
    rmSync(OUTDIR, { recursive: true, force: true });
    const result = spawnSync(CDK, args, { stdio: 'inherit' });
    return result.status ?? 1;
  });
}

runIfMain(module, main);
