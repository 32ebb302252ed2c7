/**
 * The cloud assembly of the committed app, for tests that assert on templates: synthesized on first use and cached
 * on disk by a hash of its inputs (cached-assembly.ts), so test files that never call these functions cost no synth.
 * Stacks are named as deployed: `Staging-Site`, `Production-Data`, …
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { CloudAssembly, CloudFormationStackArtifact } from 'aws-cdk-lib/cx-api';
import { testAssemblyDir } from './cached-assembly';

export type EnvironmentStage = 'Staging' | 'Production';
export type StackPart = 'Data' | 'Health' | 'Site' | 'Monitoring';

/** The assembly's folder (MIKO_TEST_ASSEMBLY when set, else the cached synth of the current inputs). */
export function assemblyDir(): string {
  return testAssemblyDir();
}

let assembly: CloudAssembly | undefined;
function cloudAssembly(): CloudAssembly {
  assembly ??= new CloudAssembly(assemblyDir());
  return assembly;
}

/** Every stack artifact of the app, across both stages, plus the account-level stacks outside them (`Staging-CiAccess`). */
export function allStacks(): CloudFormationStackArtifact[] {
  return [
    ...cloudAssembly().stacks,
    ...cloudAssembly().nestedAssemblies.flatMap((nested) => nested.nestedAssembly.stacks),
  ];
}

export function stackArtifact(stage: EnvironmentStage, part: StackPart | string): CloudFormationStackArtifact {
  const name = `${stage}-${part}`;
  const found = allStacks().find((stack) => stack.stackName === name);
  if (!found)
    throw new Error(
      `no stack ${name} in the synthesized app (have: ${allStacks()
        .map((s) => s.stackName)
        .join(', ')})`,
    );
  return found;
}

export function template(stage: EnvironmentStage, part: StackPart | string): Template {
  return Template.fromJSON(stackArtifact(stage, part).template);
}

/** cdk-nag's and CloudFormation's validation report (one entry per plugin that found something). */
export function validationReport(): {
  pluginReports: Array<{ pluginName: string; conclusion: string; violations: Array<{ severity: string }> }>;
} {
  return JSON.parse(readFileSync(join(assemblyDir(), 'validation-report.json'), 'utf8'));
}
