/**
 * `npm run stand-ins -- --env production [--scale 10] [--assembly cdk.out]`: starts one environment's stand-ins,
 * connected (world.ts), prints `export` lines that aim the operator commands at them, and runs until Ctrl-C.
 * Exit codes: 0 stopped by Ctrl-C (or --help), 1 could not start, 2 usage.
 */
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { EnvironmentName } from '../../lib/config';
import { synthesizedAssembly } from '../../scripts/lib/synthesized';
import { startWorld, World } from './world';
import { environmentFlag, Io, processIo, runCommand, runIfMain, UsageError } from '../../scripts/lib/command';

export const DEFAULT_SCALE = 10;

const USAGE = `usage: npm run stand-ins -- --env <staging|production> [--scale ${DEFAULT_SCALE}] [--assembly <cdk.out>]
  --scale     modeled seconds per real second for the prober, alarm periods and secret caches (1 = real time)
  --assembly  a synthesized app to model (default: synthesize in-process)
Exit codes: 0 stopped by Ctrl-C; 1 could not start; 2 usage`;

export interface StandInFlags {
  readonly env: EnvironmentName;
  readonly scale: number;
  readonly assembly?: string;
}

/** The flags every command that starts a world shares (the game day adds its own). */
export function worldFlags(values: { env?: string; scale?: string; assembly?: string }): StandInFlags {
  const env = environmentFlag(values.env);
  const scale = values.scale === undefined ? DEFAULT_SCALE : Number(values.scale);
  if (!Number.isFinite(scale) || scale < 1 || scale > 100)
    throw new UsageError(`--scale "${values.scale}" must be a number from 1 to 100. Fix: --scale ${DEFAULT_SCALE}.`);
  return { env, scale, assembly: values.assembly };
}

export function loadAssembly(dir?: string): CloudAssembly {
  return synthesizedAssembly(dir, { policyChecks: false });
}

/** `export NAME=value` lines an operator pastes into a shell. */
export function exportLines(world: World): string[] {
  return [
    `# ${world.env} on stand-ins, clock ${world.scale}x (AWS times = local times x ${world.scale}); site ${world.siteUrl}`,
    `# bucket ${world.bucket.name}, distribution ${world.distributionId}, live release ${world.liveRelease() ?? 'none'}`,
    ...Object.entries(world.operatorEnv).map(([name, value]) => `export ${name}=${value}`),
  ];
}

const SPEC = {
  name: 'stand-ins',
  usage: USAGE,
  options: {
    env: { type: 'string' as const },
    scale: { type: 'string' as const },
    assembly: { type: 'string' as const },
  },
};

export function main(argv: string[], io: Io = processIo): Promise<number> {
  return runCommand(SPEC, argv, io, (values) => serveUntilStopped(worldFlags(values as Record<string, string>), io));
}

async function serveUntilStopped(flags: StandInFlags, io: Io): Promise<number> {
  const world = await startWorld({ ...flags, assembly: loadAssembly(flags.assembly) });
  for (const line of exportLines(world)) io.out(line);
  io.out('# Ctrl-C stops everything.');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await world.stop();
  return 0;
}

runIfMain(module, main);
