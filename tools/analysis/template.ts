/**
 * The parts of a synthesized CloudFormation template the commands read, typed: resources, outputs, alarms and the
 * Lambda environment variables that carry a part's settings. Values CloudFormation resolves at deploy time (a `Ref`,
 * an `Fn::Join`) stay `unknown` until a reader checks their shape.
 */
export interface Resource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

export interface Template {
  readonly Resources?: Record<string, Resource>;
  readonly Outputs?: Record<string, { readonly Value?: unknown }>;
}

export interface MetricStat {
  readonly Period?: number;
}

/** An AWS::CloudWatch::Alarm's properties as createPlatformAlarm writes them. */
export interface AlarmProperties {
  readonly AlarmName: string;
  readonly AlarmDescription?: unknown;
  readonly Namespace?: string;
  readonly MetricName?: string;
  readonly Statistic?: string;
  readonly ExtendedStatistic?: string;
  readonly Dimensions?: ReadonlyArray<{ readonly Name: string; readonly Value: unknown }>;
  readonly ComparisonOperator?: string;
  readonly Threshold: number;
  readonly Period: number;
  readonly EvaluationPeriods: number;
  readonly DatapointsToAlarm?: number;
  readonly TreatMissingData?: string;
  /** Metric-math alarms only: their inputs. */
  readonly Metrics?: ReadonlyArray<{ readonly MetricStat?: MetricStat }>;
}

/** An alarm whose DatapointsToAlarm is filled in as CloudWatch reads it: absent means every evaluation period. */
export type EvaluatedAlarm = AlarmProperties & { readonly DatapointsToAlarm: number };

export const resourcesOf = (template: Template): Resource[] => Object.values(template.Resources ?? {});

/** The template's alarms, named; an alarm without a literal name is an error naming its logical id. */
export function alarmsOf(template: Template): EvaluatedAlarm[] {
  return Object.entries(template.Resources ?? {})
    .filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm')
    .map(([logicalId, r]) => {
      const alarm = r.Properties as unknown as AlarmProperties;
      if (typeof alarm?.AlarmName !== 'string')
        throw new Error(
          `${logicalId} is an alarm without a name. Fix: build it with createPlatformAlarm (lib/monitoring/platform-alarm.ts).`,
        );
      return { ...alarm, DatapointsToAlarm: alarm.DatapointsToAlarm ?? alarm.EvaluationPeriods };
    });
}

/** The first Lambda function's environment variable `name`, parsed as the JSON settings a construct wrote there. */
export function lambdaSettings<T>(template: Template, name: string): T | undefined {
  for (const r of resourcesOf(template)) {
    if (r.Type !== 'AWS::Lambda::Function') continue;
    const variables = (r.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables;
    const raw = variables?.[name];
    if (typeof raw === 'string') return JSON.parse(raw) as T;
  }
  return undefined;
}
