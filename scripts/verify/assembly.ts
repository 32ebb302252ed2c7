/** What `verify` expects, read from the synthesized cloud assembly (cdk.out) rather than from a second copy of it. */
import { CloudAssembly, CloudFormationStackArtifact } from 'aws-cdk-lib/cx-api';
import { SettleWindow, isReleaseRelated, settleWindow } from '../../lib/monitoring/release-alarms';
import type { AlarmSelection } from './alarm-check';
import { ExpectedHeaders, NoHeadersPolicyError, expectedHeadersFromTemplate } from './expected-headers';

const ALARM_TYPES = ['AWS::CloudWatch::Alarm', 'AWS::CloudWatch::CompositeAlarm'];

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

const isCriticalTopic = (resources: Record<string, any>, ref: any) => {
  const topic = resources[ref?.Ref ?? ''];
  return topic?.Type === 'AWS::SNS::Topic' && /-critical$/.test(String(topic.Properties?.TopicName ?? ''));
};

/**
 * Every alarm of the environment's stacks (stage prefix plus explicit names), and which of them are critical: those
 * whose ALARM action is the critical topic, named or not (the rotation alarms are unnamed: CloudFormation calls
 * them `<stack>-<logical id>-<suffix>`).
 */
export function alarmSelection(assemblyDir: string, stage: string): AlarmSelection {
  const stacks = stagesStacks(assemblyDir, stage);
  const alarms = stacks.flatMap((s) =>
    Object.entries<any>(s.template.Resources ?? {})
      .filter(([, r]) => ALARM_TYPES.includes(r.Type))
      .map(([logicalId, r]) => ({ stack: s, logicalId, props: r.Properties ?? {} })),
  );
  const explicitNames = alarms
    .filter((a) => typeof a.props.AlarmName === 'string')
    .map((a) => a.props.AlarmName as string);
  const critical = alarms
    .filter((a) =>
      (a.props.AlarmActions ?? []).some((action: any) => isCriticalTopic(a.stack.template.Resources, action)),
    )
    .map((a) => {
      const named = typeof a.props.AlarmName === 'string';
      return {
        match: named ? { name: a.props.AlarmName as string } : { prefix: `${a.stack.stackName}-${a.logicalId}-` },
        releaseRelated: named && isReleaseRelated(a.props.AlarmName),
      };
    });
  return { namePrefix: `${stage}-`, explicitNames, critical };
}

/** How long verify watches after a deploy: the slowest modeled detection of an alarm the release can cause. */
export function releaseSettleWindow(assemblyDir: string, stage: string): SettleWindow {
  const stacks = stagesStacks(assemblyDir, stage);
  const monitoring = stacks.find((s) => s.stackName === `${stage}-Monitoring`);
  if (!monitoring) throw new Error(`no ${stage}-Monitoring stack in ${assemblyDir} (run \`npm run synth\` first)`);
  return settleWindow(monitoring.template);
}
