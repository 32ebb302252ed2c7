/**
 * The app as synthesized, for tools that read what would be deployed rather than keep a second copy of the rules:
 * synthesized in-process into a temporary folder, or read from an assembly that is refused when older than the
 * code. Reading an assembly or flags lives in read-assembly.ts and flags.ts, so those commands skip loading the app.
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
