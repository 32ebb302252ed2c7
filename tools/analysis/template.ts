/**
 * The parts of a synthesized CloudFormation template the commands read, typed: resources, outputs, alarms and the
 * Lambda environment variables that carry a part's settings. Values CloudFormation resolves at deploy time (a `Ref`,
 * an `Fn::Join`) stay `unknown` until a reader checks their shape.
 */
export interface Resource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

/** A template's resources by logical id. */
export type Resources = Record<string, Resource>;

export interface Template {
  readonly Resources?: Resources;
  readonly Outputs?: Record<string, { readonly Value?: unknown }>;
}

/** A metric as an alarm or a metric-math input names it. */
export interface MetricIdentity {
  readonly Namespace?: string;
  readonly MetricName?: string;
  readonly Dimensions?: ReadonlyArray<{ readonly Name: string; readonly Value: unknown }>;
}

export interface MetricStat {
  readonly Period?: number;
  readonly Metric?: MetricIdentity;
}

/** An AWS::CloudWatch::Alarm's properties as createPlatformAlarm writes them. */
export interface AlarmProperties extends MetricIdentity {
  readonly AlarmName: string;
  readonly AlarmDescription?: unknown;
  readonly AlarmActions?: readonly unknown[];
  readonly Statistic?: string;
  readonly ExtendedStatistic?: string;
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

/** A JSON object (not null, not an array): the shape check before reading a field of an `unknown` value. */
export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The logical id a `Ref` or an `Fn::GetAtt` points to, or undefined for any other value. */
export function refId(value: unknown): string | undefined {
  if (!isRecord(value)) return undefined;
  if (typeof value.Ref === 'string') return value.Ref;
  const getAtt = value['Fn::GetAtt'];
  return Array.isArray(getAtt) && typeof getAtt[0] === 'string' ? getAtt[0] : undefined;
}

/**
 * A resource's properties read as `T`: the fields of its type a reader uses, as CDK writes them. Not checked at run
 * time (the template is our own synth's output); values that may be tokens are typed `unknown` in `T`.
 */
export function propertiesOf<T>(resource: Resource | undefined): T | undefined {
  return resource?.Properties as T | undefined;
}

/** The template's alarms, named; an alarm without a literal name is an error naming its logical id. */
export function alarmsOf(template: Template): EvaluatedAlarm[] {
  return Object.entries(template.Resources ?? {})
    .filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm')
    .map(([logicalId, r]) => {
      const alarm = propertiesOf<AlarmProperties>(r);
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
    const raw = propertiesOf<LambdaFunctionProperties>(r)?.Environment?.Variables?.[name];
    if (typeof raw === 'string') return JSON.parse(raw) as T;
  }
  return undefined;
}

/** An AWS::Lambda::Function's properties the commands read. */
export interface LambdaFunctionProperties {
  readonly Description?: unknown;
  readonly Handler?: string;
  readonly Runtime?: string;
  readonly MemorySize?: number;
  readonly Timeout?: number;
  readonly Code?: { readonly S3Key?: string };
  readonly Environment?: { readonly Variables?: Record<string, unknown> };
}

/** A CloudFront function association of a cache behaviour. */
export interface FunctionAssociation {
  readonly EventType: string;
  readonly FunctionARN: unknown;
}

export interface CacheBehavior {
  readonly TargetOriginId: string;
  readonly AllowedMethods?: readonly string[];
  readonly ResponseHeadersPolicyId?: unknown;
  readonly FunctionAssociations?: readonly FunctionAssociation[];
}

/** An AWS::CloudFront::Distribution's origins and behaviours (the default one and the path-pattern ones). */
export interface DistributionProperties {
  readonly DistributionConfig: {
    readonly Origins: ReadonlyArray<{ readonly Id: string; readonly S3OriginConfig?: unknown }>;
    readonly DefaultCacheBehavior: CacheBehavior;
    readonly CacheBehaviors?: ReadonlyArray<CacheBehavior & { readonly PathPattern: string }>;
  };
}

/** An AWS::CloudFront::ResponseHeadersPolicy's config; header names and values may be tokens until checked. */
export interface ResponseHeadersPolicyConfig {
  readonly SecurityHeadersConfig?: SecurityHeadersConfig;
  readonly CustomHeadersConfig?: {
    readonly Items?: ReadonlyArray<{ readonly Header: unknown; readonly Value: unknown }>;
  };
  readonly RemoveHeadersConfig?: { readonly Items?: ReadonlyArray<{ readonly Header: unknown }> };
}

export interface SecurityHeadersConfig {
  readonly StrictTransportSecurity?: {
    readonly AccessControlMaxAgeSec: unknown;
    readonly IncludeSubdomains?: boolean;
    readonly Preload?: boolean;
  };
  readonly ContentSecurityPolicy?: { readonly ContentSecurityPolicy: unknown };
  readonly ContentTypeOptions?: object;
  readonly FrameOptions?: { readonly FrameOption: unknown };
  readonly ReferrerPolicy?: { readonly ReferrerPolicy: unknown };
  readonly XSSProtection?: {
    readonly Protection?: boolean;
    readonly ModeBlock?: boolean;
    readonly ReportUri?: unknown;
  };
}

export interface ResponseHeadersPolicyProperties {
  readonly ResponseHeadersPolicyConfig?: ResponseHeadersPolicyConfig;
}

/** An AWS::WAFv2::WebACL's rules; only rate-based statements (with a path scope-down) are read. */
export interface WebAclProperties {
  readonly Rules?: readonly WebAclRule[];
}

export interface WebAclRule {
  readonly Name: string;
  readonly Priority: number;
  readonly Statement: { readonly RateBasedStatement?: RateBasedStatement };
}

export interface RateBasedStatement {
  readonly Limit: number;
  readonly AggregateKeyType: string;
  readonly EvaluationWindowSec?: number;
  readonly ScopeDownStatement?: {
    readonly ByteMatchStatement?: { readonly PositionalConstraint: string; readonly SearchString: string };
  };
}

/** An AWS::Route53::HealthCheck's billed options. */
export interface HealthCheckProperties {
  readonly HealthCheckConfig?: {
    readonly Type?: string;
    readonly RequestInterval?: number;
    readonly MeasureLatency?: boolean;
  };
}

/** An AWS::Events::Rule's schedule and targets. */
export interface EventsRuleProperties {
  readonly ScheduleExpression?: unknown;
  readonly Targets?: ReadonlyArray<{ readonly Arn: unknown }>;
}

/** An AWS::Scheduler::Schedule: a Lambda target (Arn) or an ECS task (EcsParameters). */
export interface ScheduleProperties {
  readonly Name?: unknown;
  readonly ScheduleExpression?: string;
  readonly Target?: {
    readonly Arn?: unknown;
    readonly EcsParameters?: {
      readonly TaskDefinitionArn?: unknown;
      readonly NetworkConfiguration?: { readonly AwsvpcConfiguration?: { readonly AssignPublicIp?: string } };
    };
  };
}

/** An AWS::ECS::TaskDefinition's size (CloudFormation takes both as strings). */
export interface TaskDefinitionProperties {
  readonly Cpu?: unknown;
  readonly Memory?: unknown;
}

/** An AWS::S3::Bucket's name, default encryption, object lock and first lifecycle transition. */
export interface BucketProperties {
  readonly BucketName?: unknown;
  readonly BucketEncryption?: BucketEncryption;
  readonly ObjectLockConfiguration?: { readonly Rule?: { readonly DefaultRetention?: { readonly Days?: number } } };
  readonly LifecycleConfiguration?: {
    readonly Rules?: ReadonlyArray<{ readonly Transitions?: ReadonlyArray<{ readonly TransitionInDays?: number }> }>;
  };
}

export interface BucketEncryption {
  readonly ServerSideEncryptionConfiguration?: ReadonlyArray<{
    readonly ServerSideEncryptionByDefault?: { readonly KMSMasterKeyID?: unknown };
  }>;
}

export interface VpcEndpointProperties {
  readonly VpcEndpointType?: string;
  readonly SubnetIds?: readonly unknown[];
}
