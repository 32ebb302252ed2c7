/**
 * The app as synthesized, for tools that must read what would be deployed (cost, preview, verify, ttd) rather than
 * keep a second copy of the rules: synthesized in-process into a temporary folder (removed when the command ends),
 * or read from an assembly folder such as cdk.out, which is refused when it is older than what it describes.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CloudAssembly, CloudFormationStackArtifact } from 'aws-cdk-lib/cx-api';
import { cdkJsonContext } from '../../lib/cdk-json-context';
import { EnvironmentName, loadAppConfig } from '../../lib/config';
import { scratchDir } from '../../lib/shared/scratch-dir';
import { STAGE_IDS } from '../../lib/stage-ids';

const REPO_ROOT = join(__dirname, '..', '..');
/** What a synth reads: the app's code and config, the Lambda handlers, the SPA build and cdk.json's context. */
export const SYNTH_INPUTS = ['bin', 'lib', 'lambda', 'app-dist', 'cdk.json'];

export class StaleAssemblyError extends Error {
  constructor(assemblyDir: string, newerInput: string) {
    super(`${assemblyDir} is older than ${newerInput}, so it does not describe what would be deployed now. Fix: run \`npm run synth\` (or drop --assembly to synthesize in-process).`);
    this.name = 'StaleAssemblyError';
  }
}

export interface SynthOptions {
  /** The SPA build to release; app-dist/ by default. */
  readonly appDist?: string;
  /** Environments to build; both by default. */
  readonly environments?: readonly EnvironmentName[];
}

/** Synthesizes the app (both environments unless narrowed, nag packs on) into `outdir`. */
export function synthesizeApp(outdir: string, options: SynthOptions = {}): CloudAssembly {
  // Required here, not imported: the app's constructs and the nag packs take about a second to load, which a
  // command that only parses its flags or reads an assembly (check-app --assembly, verify) should not pay.
  const { buildApp } = require('../../lib/app') as typeof import('../../lib/app');
  return buildApp(loadAppConfig(), { outdir, context: cdkJsonContext() }, { appDist: options.appDist, environments: options.environments }).app.synth();
}

function newestFile(path: string): { path: string; mtimeMs: number } | undefined {
  if (!existsSync(path)) return undefined;
  const stat = statSync(path);
  if (!stat.isDirectory()) return { path, mtimeMs: stat.mtimeMs };
  let newest: { path: string; mtimeMs: number } | undefined;
  for (const entry of readdirSync(path)) {
    const candidate = newestFile(join(path, entry));
    if (candidate && (!newest || candidate.mtimeMs > newest.mtimeMs)) newest = candidate;
  }
  return newest;
}

/** The assembly in `assemblyDir`, after checking it was synthesized after the last change to any synth input. */
export function readFreshAssembly(assemblyDir: string, repoRoot = REPO_ROOT): CloudAssembly {
  const manifest = join(assemblyDir, 'manifest.json');
  if (!existsSync(manifest)) throw new Error(`${assemblyDir} holds no synthesized app (no manifest.json; a failed synth removes it). Fix: run \`npm run synth\`.`);
  const synthesizedAt = statSync(manifest).mtimeMs;
  for (const input of SYNTH_INPUTS) {
    const newest = newestFile(join(repoRoot, input));
    if (newest && newest.mtimeMs > synthesizedAt) throw new StaleAssemblyError(assemblyDir, newest.path.slice(repoRoot.length + 1));
  }
  return new CloudAssembly(assemblyDir);
}

export function synthesizedAssembly(assemblyDir?: string, options: SynthOptions = {}): CloudAssembly {
  if (assemblyDir) return readFreshAssembly(assemblyDir);
  return synthesizeApp(scratchDir('miko-synth-'), options);
}

/** The stacks of one environment's Stage. */
export function environmentStacks(assembly: CloudAssembly, envName: EnvironmentName): CloudFormationStackArtifact[] {
  const stageId = STAGE_IDS[envName];
  const nested = assembly.nestedAssemblies.find((n) => n.nestedAssembly.directory.endsWith(`assembly-${stageId}`));
  if (!nested) throw new Error(`the assembly has no stage ${stageId}`);
  return nested.nestedAssembly.stacks;
}

/** The folder CDK staged a file asset in (`asset.<hash>` beside the stage assemblies), from its S3 object key. */
export function assetFolder(assembly: CloudAssembly, objectKey: string): string {
  const hash = objectKey.replace(/\.zip$/, '');
  const folder = join(assembly.directory, `asset.${hash}`);
  if (!existsSync(folder)) throw new Error(`the asset ${hash} is not in ${assembly.directory}`);
  return folder;
}

/** Parses `--name value` pairs; every flag must be known, so a typo is an error rather than a silent default. */
export function parseFlags(argv: readonly string[], known: Record<string, 'value' | 'switch'>): Record<string, string | boolean> {
  const flags: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].replace(/^--/, '');
    if (!argv[i].startsWith('--') || !(name in known)) {
      throw new Error(`unknown argument "${argv[i]}". Known: ${Object.keys(known).map((k) => `--${k}`).join(', ')}`);
    }
    if (known[name] === 'switch') flags[name] = true;
    else {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--')) throw new Error(`--${name} needs a value`);
      flags[name] = value;
    }
  }
  return flags;
}
