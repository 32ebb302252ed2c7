/**
 * The app as synthesized, for tools that must read what would be deployed (cost, preview, verify, ttd) rather than
 * keep a second copy of the rules: synthesized in-process into a temporary folder (removed when the command ends),
 * or read from an assembly folder such as cdk.out, which is refused when it is older than what it describes.
 *
 * Synthesizing loads the whole app; what only reads an assembly or parses flags lives in read-assembly.ts and
 * flags.ts, so a command that never synthesizes does not pay for it.
 */
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { buildApp } from '../../lib/app';
import { cdkJsonContext } from '../../lib/cdk-json-context';
import { EnvironmentName, loadAppConfig } from '../../lib/config';
import { scratchDir } from '../../lib/shared/scratch-dir';
import { readFreshAssembly } from './read-assembly';

export interface SynthOptions {
  /** The SPA build to release; app-dist/ by default. */
  readonly appDist?: string;
  /** Environments to build; both by default. */
  readonly environments?: readonly EnvironmentName[];
  /** The nag packs and CloudFormation Validate (lib/app.ts BuildAppOptions); on by default. */
  readonly policyChecks?: boolean;
}

/** Synthesizes the app (both environments unless narrowed, nag packs on) into `outdir`. */
export function synthesizeApp(outdir: string, options: SynthOptions = {}): CloudAssembly {
  return buildApp(loadAppConfig(), { outdir, context: cdkJsonContext() }, options).app.synth();
}

export function synthesizedAssembly(assemblyDir?: string, options: SynthOptions = {}): CloudAssembly {
  if (assemblyDir) return readFreshAssembly(assemblyDir);
  return synthesizeApp(scratchDir('miko-synth-'), options);
}
