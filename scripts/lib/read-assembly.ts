/**
 * Reading a synthesized cloud assembly (cdk.out, or the tests' cached one) without loading the app: whether it is
 * older than what it describes, one environment's stacks, the folder of a staged asset.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CloudAssembly, CloudFormationStackArtifact } from 'aws-cdk-lib/cx-api';
import type { EnvironmentName } from '../../lib/config';
import { STAGE_IDS } from '../../lib/stage-ids';

const REPO_ROOT = join(__dirname, '..', '..');

/** What a synth reads: the app's code and config, the Lambda handlers, its caches' code, the SPA build, cdk.json. */
export const SYNTH_INPUTS = ['bin', 'lib', 'lambda', 'tools/synth', 'app-dist', 'cdk.json'];

export class StaleAssemblyError extends Error {
  constructor(assemblyDir: string, newerInput: string) {
    super(
      `${assemblyDir} is older than ${newerInput}, so it does not describe what would be deployed now. Fix: run \`npm run synth\` (or drop --assembly to synthesize in-process).`,
    );
    this.name = 'StaleAssemblyError';
  }
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
  if (!existsSync(manifest))
    throw new Error(
      `${assemblyDir} holds no synthesized app (no manifest.json; a failed synth removes it). Fix: run \`npm run synth\`.`,
    );
  const synthesizedAt = statSync(manifest).mtimeMs;
  for (const input of SYNTH_INPUTS) {
    const newest = newestFile(join(repoRoot, input));
    if (newest && newest.mtimeMs > synthesizedAt)
      throw new StaleAssemblyError(assemblyDir, newest.path.slice(repoRoot.length + 1));
  }
  return new CloudAssembly(assemblyDir);
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
