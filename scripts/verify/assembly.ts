/** What `verify` expects, read from the synthesized cloud assembly (cdk.out) rather than from a second copy of it. */
import { CloudAssembly, CloudFormationStackArtifact } from 'aws-cdk-lib/cx-api';
import type { AlarmSelection } from './alarm-check';
import { ExpectedHeaders, NoHeadersPolicyError, expectedHeadersFromTemplate } from './expected-headers';

const ALARM_TYPES = ['AWS::CloudWatch::Alarm', 'AWS::CloudWatch::CompositeAlarm'];

function stagesStacks(assemblyDir: string, stage: string): CloudFormationStackArtifact[] {
  const assembly = new CloudAssembly(assemblyDir);
  return assembly.nestedAssemblies.flatMap((n) => n.nestedAssembly.stacks).filter((s) => s.hierarchicalId.startsWith(`${stage}/`));
}

/** The Site stack's headers policy, or why it cannot be read (verify then fails the header checks, loudly). */
export function expectedHeaders(assemblyDir: string, stage: string): ExpectedHeaders | { error: string } {
  try {
    const site = stagesStacks(assemblyDir, stage).find((s) => s.stackName === `${stage}-Site`);
    if (!site) return { error: `no ${stage}-Site stack in ${assemblyDir} (run \`npm run synth\` first)` };
    return expectedHeadersFromTemplate(site.template);
  } catch (error) {
    if (error instanceof NoHeadersPolicyError) return { error: error.message };
    return { error: `cannot read ${assemblyDir}: ${(error as Error).message}` };
  }
}

/**
 * The release this assembly publishes: the Site stack's `ReleaseId` output (the Site issue writes it), when it is a
 * literal. Lets `verify` check version.json without being told the id.
 */
export function expectedRelease(assemblyDir: string, stage: string): string | undefined {
  try {
    const site = stagesStacks(assemblyDir, stage).find((s) => s.stackName === `${stage}-Site`);
    const value = site?.template.Outputs?.ReleaseId?.Value;
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Every alarm of the environment's stacks: by CloudFormation's naming (stage prefix) plus any explicit names. */
export function alarmSelection(assemblyDir: string, stage: string): AlarmSelection {
  const explicitNames = stagesStacks(assemblyDir, stage)
    .flatMap((s) => Object.values<any>(s.template.Resources ?? {}))
    .filter((r) => ALARM_TYPES.includes(r.Type) && typeof r.Properties?.AlarmName === 'string')
    .map((r) => r.Properties.AlarmName as string);
  return { namePrefix: `${stage}-`, explicitNames };
}
