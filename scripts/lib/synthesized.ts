/**
 * The app as synthesized right now, for tools that must read what would be deployed (cost, preview, verify)
 * rather than keep a second copy of the rules. Synthesizes in-process into a temporary folder unless an
 * assembly folder is given (e.g. CI's cdk.out).
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudAssembly, CloudFormationStackArtifact } from 'aws-cdk-lib/cx-api';
import { buildApp } from '../../lib/app';
import { cdkJsonContext } from '../../lib/cdk-json-context';
import { AppConfig, EnvironmentName, loadAppConfig } from '../../lib/config';
import { STAGE_IDS } from '../../lib/stage';

export function synthesizedAssembly(assemblyDir?: string, options: { appDist?: string; config?: AppConfig } = {}): CloudAssembly {
  if (assemblyDir) return new CloudAssembly(assemblyDir);
  const outdir = mkdtempSync(join(tmpdir(), 'miko-synth-'));
  return buildApp(options.config ?? loadAppConfig(), { outdir, context: cdkJsonContext() }, { appDist: options.appDist }).app.synth();
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
