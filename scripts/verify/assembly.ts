/** What `verify` expects, read from the synthesized cloud assembly (cdk.out) rather than from a second copy of it. */
import { CloudAssembly, CloudFormationStackArtifact } from 'aws-cdk-lib/cx-api';
import { SettleWindow, isReleaseRelated, settleWindow } from '../../tools/analysis/release-alarms';
import { alarmsOf, Template } from '../../tools/analysis/template';
import type { AlarmSelection } from './alarm-check';
import { ExpectedHeaders, NoHeadersPolicyError, expectedHeadersFromTemplate } from './expected-headers';

function stagesStacks(assemblyDir: string, stage: string): CloudFormationStackArtifact[] {
  const assembly = new CloudAssembly(assemblyDir);
  return assembly.nestedAssemblies
    .flatMap((n) => n.nestedAssembly.stacks)
    .filter((s) => s.hierarchicalId.startsWith(`${stage}/`));
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

/**
 * The environment's critical alarms, by name. Every alarm is made by createPlatformAlarm, which names it
 * `miko-<env>-<severity>-<slug>`; an unnamed one is refused rather than guessed at.
 */
export function alarmSelection(assemblyDir: string, stage: string): AlarmSelection {
  const critical = stagesStacks(assemblyDir, stage)
    .flatMap((stack) => alarmsOf(stack.template as Template).map((alarm) => alarm.AlarmName))
    .filter((name) => /^miko-[a-z]+-critical-/.test(name))
    .map((name) => ({ name, releaseRelated: isReleaseRelated(name) }));
  return { critical };
}

/** How long verify watches after a deploy: the slowest modeled detection of an alarm the release can cause. */
export function releaseSettleWindow(assemblyDir: string, stage: string): SettleWindow {
  const stacks = stagesStacks(assemblyDir, stage);
  const monitoring = stacks.find((s) => s.stackName === `${stage}-Monitoring`);
  if (!monitoring) throw new Error(`no ${stage}-Monitoring stack in ${assemblyDir} (run \`npm run synth\` first)`);
  return settleWindow(monitoring.template);
}
