/**
 * The alarms one environment's synthesized stacks declare, as the CloudWatch stand-in evaluates them: named as
 * CloudFormation would name them (unnamed ones `<stack>-<logical id>-<suffix>`), critical when their ALARM action is
 * the `-critical` topic (as verify reads it, scripts/verify/assembly.ts), and naming the function an ALARM action
 * invokes (the canary abort function).
 */
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import type { EnvironmentName } from '../../lib/config';
import { environmentStacks } from '../../scripts/lib/read-assembly';
import type { AlarmDefinition } from './cloudwatch-alarm-evaluator';
import { AlarmProperties, propertiesOf, refId, Resources, Template } from '../analysis/template';

/** The suffix CloudFormation would add to an unnamed alarm's name (any; verify matches the prefix). */
const UNNAMED_SUFFIX = 'REHEARSAL';

export function alarmDefinitions(assembly: CloudAssembly, env: EnvironmentName): AlarmDefinition[] {
  return environmentStacks(assembly, env).flatMap((stack) => {
    const resources: Resources = (stack.template as Template).Resources ?? {};
    const isCriticalTopic = (action: unknown) => {
      const topic = resources[refId(action) ?? ''];
      return topic?.Type === 'AWS::SNS::Topic' && /-critical$/.test(String(topic.Properties?.TopicName ?? ''));
    };
    const invokedFunction = (action: unknown) => {
      const id = refId(action) ?? '';
      return resources[id]?.Type === 'AWS::Lambda::Function' ? id : undefined;
    };
    return Object.entries(resources)
      .filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm')
      .map(([logicalId, r]) => {
        const p = propertiesOf<Partial<AlarmProperties>>(r) ?? {};
        return {
          ...p,
          AlarmName:
            typeof p.AlarmName === 'string' ? p.AlarmName : `${stack.stackName}-${logicalId}-${UNNAMED_SUFFIX}`,
          AlarmDescription: textOf(p.AlarmDescription),
          critical: (p.AlarmActions ?? []).some(isCriticalTopic),
          invokes: (p.AlarmActions ?? []).map(invokedFunction).find(Boolean),
        } as AlarmDefinition;
      });
  });
}

/** A template string as text: Fn::Join's literal parts joined, a token (a Ref, an attribute) shown as `<token>`. */
function textOf(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  return join ? join[1].map((part) => textOf(part) ?? '').join(join[0]) : '<token>';
}
