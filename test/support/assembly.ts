/**
 * The cloud assembly synthesized once by `global-synth.ts`, for tests that assert on templates.
 * Stacks are named as deployed: `Staging-Site`, `Production-Data`, …
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { CloudAssembly, CloudFormationStackArtifact } from 'aws-cdk-lib/cx-api';

export type EnvironmentStage = 'Staging' | 'Production';
export type StackPart = 'Data' | 'Health' | 'Site' | 'Monitoring';

function assemblyDir(): string {
  const dir = process.env.MIKO_TEST_ASSEMBLY;
  if (!dir) throw new Error('MIKO_TEST_ASSEMBLY is not set: run tests through jest (jest.config.js has the global setup).');
  return dir;
}

let assembly: CloudAssembly | undefined;
function cloudAssembly(): CloudAssembly {
  assembly ??= new CloudAssembly(assemblyDir());
  return assembly;
}

/** Every stack artifact of the app, across both stages, plus the account-level stacks outside them (`Staging-CiAccess`). */
export function allStacks(): CloudFormationStackArtifact[] {
  return [...cloudAssembly().stacks, ...cloudAssembly().nestedAssemblies.flatMap((nested) => nested.nestedAssembly.stacks)];
}

export function stackArtifact(stage: EnvironmentStage, part: StackPart | string): CloudFormationStackArtifact {
  const name = `${stage}-${part}`;
  const found = allStacks().find((stack) => stack.stackName === name);
  if (!found) throw new Error(`no stack ${name} in the synthesized app (have: ${allStacks().map((s) => s.stackName).join(', ')})`);
  return found;
}

export function template(stage: EnvironmentStage, part: StackPart | string): Template {
  return Template.fromJSON(stackArtifact(stage, part).template);
}

/** cdk-nag's and CloudFormation's validation report (one entry per plugin that found something). */
export function validationReport(): { pluginReports: Array<{ pluginName: string; conclusion: string; violations: Array<{ severity: string }> }> } {
  return JSON.parse(readFileSync(join(assemblyDir(), 'validation-report.json'), 'utf8'));
}
