/**
 * Trust decides severity (docs/readme/telemetry-trust.md): over the synthesized app of both environments, nothing
 * a browser sends can reach the critical topic or verify's judgement of a release, alone or through metric math
 * or a composite alarm.
 */
import { allStacks } from '../support/assembly';
import { alarmSelection } from '../../scripts/verify/assembly';
import { assemblyDir } from '../support/assembly';
import { CLIENT_NAMESPACE } from '../../lambda/telemetry/event-line';

type Resources = Record<string, { Type: string; Properties?: any }>;
const stages = ['Staging', 'Production'] as const;
const stacksOf = (stage: string) => allStacks().filter((s) => s.stackName.startsWith(`${stage}-`));
const resourcesOf = (stage: string): Resources =>
  Object.assign({}, ...stacksOf(stage).map((s) => s.template.Resources as Resources));

/** The namespaces an alarm reads: its own metric, every metric of its math, every alarm of its rule. */
function namespacesRead(resources: Resources, alarm: { Type: string; Properties?: any }): string[] {
  const p = alarm.Properties ?? {};
  if (alarm.Type === 'AWS::CloudWatch::CompositeAlarm') {
    const names = [...String(p.AlarmRule).matchAll(/ALARM\("?([^")]+)"?\)/g)].map((m) => m[1]);
    return Object.values(resources)
      .filter((r) => r.Type === 'AWS::CloudWatch::Alarm' && names.includes(r.Properties?.AlarmName))
      .flatMap((r) => namespacesRead(resources, r));
  }
  if (p.Namespace) return [p.Namespace];
  return (p.Metrics ?? []).filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat.Metric.Namespace);
}

const isCriticalTopic = (action: unknown) => /Critical/.test(JSON.stringify(action));

describe.each(stages)('%s', (stage) => {
  const resources = resourcesOf(stage);
  const alarms = Object.values(resources).filter((r) => /^AWS::CloudWatch::(Composite)?Alarm$/.test(r.Type));

  it('has client alarms, and every alarm that acts on the critical topic reads at least one trusted metric', () => {
    expect(alarms.filter((a) => namespacesRead(resources, a).includes(CLIENT_NAMESPACE)).length).toBeGreaterThan(3);
    const critical = alarms.filter((a) =>
      [...(a.Properties?.AlarmActions ?? []), ...(a.Properties?.OKActions ?? [])].some(isCriticalTopic),
    );
    expect(critical.length).toBeGreaterThan(5);
    for (const alarm of critical) {
      const read = namespacesRead(resources, alarm);
      expect({ alarm: alarm.Properties.AlarmName, trusted: read.some((n) => n !== CLIENT_NAMESPACE) }).toEqual({
        alarm: alarm.Properties.AlarmName,
        trusted: true,
      });
      expect({ alarm: alarm.Properties.AlarmName, read }).not.toEqual({
        alarm: alarm.Properties.AlarmName,
        read: expect.arrayContaining([CLIENT_NAMESPACE]),
      });
    }
  });

  it('the collector may publish to the warning topic only', () => {
    const publishTargets = Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy')
      .filter((r) => /Collector/.test(JSON.stringify(r.Properties.Roles)))
      .flatMap((r) => r.Properties.PolicyDocument.Statement)
      .filter((st: any) => [st.Action].flat().includes('sns:Publish'))
      .flatMap((st: any) => [st.Resource].flat());
    expect(publishTargets).toEqual([
      `arn:aws:sns:us-east-1:${stage === 'Staging' ? '111111111111' : '222222222222'}:miko-${stage.toLowerCase()}-warning`,
    ]);
  });

  it("verify's release judgement watches no alarm that reads browser reports", () => {
    const judged = alarmSelection(assemblyDir(), stage).critical.filter((c) => c.releaseRelated);
    expect(judged.length).toBeGreaterThan(3);
    const byName = new Map(alarms.map((a) => [a.Properties?.AlarmName, namespacesRead(resources, a)] as const));
    for (const c of judged) {
      const name = c.name;
      expect(name && byName.get(name)).not.toContain(CLIENT_NAMESPACE);
    }
  });
});
