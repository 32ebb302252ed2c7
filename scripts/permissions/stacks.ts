/**
 * One environment's stacks, read from a synthesized cloud assembly's manifests and templates as plain JSON: no app is
 * loaded and no schema check runs, so a copy someone edited by hand is read exactly as it stands.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EnvironmentName } from '../../lib/config/schema';
import { STAGE_IDS } from '../../lib/stage-ids';

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Condition?: string;
}

export interface CfnTemplate {
  readonly Resources: Record<string, CfnResource>;
  readonly Outputs?: Record<string, { Value: unknown; Export?: { Name: unknown } }>;
  readonly Parameters?: Record<string, { Type: string; Default?: unknown }>;
  readonly Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  readonly Conditions?: Record<string, unknown>;
}

export interface StackTemplate {
  /** As deployed: `Production-Monitoring`. */
  readonly stackName: string;
  /** The part after the stage: `Monitoring`, `CiAccess`. */
  readonly part: string;
  readonly account: string;
  readonly region: string;
  readonly template: CfnTemplate;
  readonly templateFile: string;
  /** The role CloudFormation deploys the stack with (the bootstrap execution role); none for CiAccess. */
  readonly executionRoleArn?: string;
}

interface ManifestArtifact {
  type: string;
  environment?: string;
  displayName?: string;
  properties?: {
    templateFile?: string;
    directoryName?: string;
    stackName?: string;
    cloudFormationExecutionRoleArn?: string;
  };
}

function readJson<T>(file: string, what: string): T {
  if (!existsSync(file)) throw new Error(`${file} is missing, so ${what} cannot be read. Fix: run \`npm run synth\`.`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (error) {
    throw new Error(
      `${file} is not valid JSON (${(error as Error).message}). Fix: synthesize again or repair the edit.`,
    );
  }
}

function stacksOf(dir: string): Array<StackTemplate | { nested: string }> {
  const manifest = readJson<{ artifacts?: Record<string, ManifestArtifact> }>(
    join(dir, 'manifest.json'),
    'the assembly',
  );
  return Object.entries(manifest.artifacts ?? {}).flatMap(
    ([id, artifact]): Array<StackTemplate | { nested: string }> => {
      if (artifact.type === 'cdk:cloud-assembly') return [{ nested: join(dir, artifact.properties!.directoryName!) }];
      if (artifact.type !== 'aws:cloudformation:stack') return [];
      const [, account, region] = /^aws:\/\/([^/]+)\/(.+)$/.exec(artifact.environment ?? '') ?? [];
      const stackName = artifact.properties?.stackName ?? artifact.displayName?.replace('/', '-') ?? id;
      const templateFile = join(dir, artifact.properties!.templateFile!);
      const template = readJson<CfnTemplate>(templateFile, `the stack ${stackName}`);
      const executionRoleArn = artifact.properties?.cloudFormationExecutionRoleArn?.replace('${AWS::Partition}', 'aws');
      const part = stackName.split('-').slice(1).join('-');
      return [{ stackName, part, account, region, template, templateFile, executionRoleArn }];
    },
  );
}

/** Every stack of one environment: its stage's stacks and the account-level ones named after it (`Staging-CiAccess`). */
export function environmentStackTemplates(assemblyDir: string, envName: EnvironmentName): StackTemplate[] {
  const stageId = STAGE_IDS[envName];
  const found: StackTemplate[] = [];
  const pending = [assemblyDir];
  while (pending.length > 0) {
    for (const item of stacksOf(pending.pop()!)) {
      if ('nested' in item) pending.push(item.nested);
      else if (item.stackName.startsWith(`${stageId}-`)) found.push(item);
    }
  }
  if (found.length === 0)
    throw new Error(
      `${assemblyDir} has no stack of ${envName} (${stageId}-*). Fix: synthesize both environments (\`npm run synth\`).`,
    );
  const accounts = new Set(found.map((s) => `${s.account}/${s.region}`));
  if (accounts.size !== 1 || [...accounts][0].includes('unknown'))
    throw new Error(
      `the stacks of ${envName} name ${[...accounts].join(', ')}: a permission proof needs one concrete account and region. Fix: set them in lib/config/environments/${envName}.ts.`,
    );
  return found.sort((a, b) => a.stackName.localeCompare(b.stackName));
}
