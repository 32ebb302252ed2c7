/**
 * What CloudFormation answers for `Ref` and `Fn::GetAtt` of each resource type these stacks use, made concrete for
 * the environment's account and region. Names CloudFormation generates (no name property) become
 * `<stack>-<logicalId>-GENERATED` (lower case where the service requires it), so a policy's pattern that would
 * match the real generated name (`Production-*`) matches this one too.
 */
import type { CfnResource } from './stacks';

export interface ResourceSite {
  readonly stackName: string;
  readonly logicalId: string;
  readonly account: string;
  readonly region: string;
  readonly resource: CfnResource;
  /** Resolves one of the resource's own properties (names may be built with intrinsics). */
  readonly property: (name: string) => unknown;
}

type Attributes = Record<string, string>;

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const generated = (site: ResourceSite) => `${site.stackName}-${site.logicalId}-GENERATED`;
const lower = (site: ResourceSite) => generated(site).toLowerCase();
/** Deterministic stand-ins for ids AWS assigns (a key id, a distribution id), unique per logical id. */
const assignedId = (site: ResourceSite, prefix = '') => `${prefix}${site.logicalId.toLowerCase()}`;

/** Per resource type: the value of `Ref` (under key `Ref`) and of each attribute `Fn::GetAtt` may ask for. */
const FORMATS: Record<string, (site: ResourceSite) => Attributes> = {
  'AWS::IAM::Role': (s) => {
    const name = str(s.property('RoleName')) ?? generated(s);
    const arn = `arn:aws:iam::${s.account}:role${str(s.property('Path')) ?? '/'}${name}`;
    return { Ref: name, Arn: arn, RoleId: assignedId(s, 'AROA') };
  },
  'AWS::IAM::ManagedPolicy': (s) => {
    const arn = `arn:aws:iam::${s.account}:policy${str(s.property('Path')) ?? '/'}${str(s.property('ManagedPolicyName')) ?? generated(s)}`;
    return { Ref: arn, PolicyArn: arn };
  },
  'AWS::IAM::Policy': (s) => ({ Ref: generated(s) }),
  'AWS::IAM::OIDCProvider': (s) => {
    const arn = `arn:aws:iam::${s.account}:oidc-provider/${String(s.property('Url')).replace(/^https:\/\//, '')}`;
    return { Ref: arn, Arn: arn };
  },
  'AWS::Lambda::Function': (s) => {
    const name = str(s.property('FunctionName')) ?? generated(s);
    return { Ref: name, Arn: `arn:aws:lambda:${s.region}:${s.account}:function:${name}` };
  },
  'AWS::Lambda::Url': (s) => ({
    FunctionUrl: `https://${assignedId(s)}.lambda-url.${s.region}.on.aws/`,
    FunctionArn: String(s.property('TargetFunctionArn')),
  }),
  'AWS::Lambda::Version': (s) => ({ Ref: `${String(s.property('FunctionName'))}:1`, Version: '1' }),
  'AWS::Lambda::LayerVersion': (s) => ({ Ref: `arn:aws:lambda:${s.region}:${s.account}:layer:${generated(s)}:1` }),
  'AWS::SQS::Queue': (s) => {
    const name = str(s.property('QueueName')) ?? generated(s);
    const url = `https://sqs.${s.region}.amazonaws.com/${s.account}/${name}`;
    return { Ref: url, QueueUrl: url, QueueName: name, Arn: `arn:aws:sqs:${s.region}:${s.account}:${name}` };
  },
  'AWS::SNS::Topic': (s) => {
    const name = str(s.property('TopicName')) ?? generated(s);
    const arn = `arn:aws:sns:${s.region}:${s.account}:${name}`;
    return { Ref: arn, TopicArn: arn, TopicName: name };
  },
  'AWS::KMS::Key': (s) => {
    const id = assignedId(s, 'key-');
    return { Ref: id, KeyId: id, Arn: `arn:aws:kms:${s.region}:${s.account}:key/${id}` };
  },
  'AWS::KMS::Alias': (s) => ({ Ref: String(s.property('AliasName')) }),
  'AWS::CloudTrail::Trail': (s) => {
    const name = str(s.property('TrailName')) ?? generated(s);
    return { Ref: name, Arn: `arn:aws:cloudtrail:${s.region}:${s.account}:trail/${name}` };
  },
  'AWS::SecretsManager::Secret': (s) => {
    // The six random characters Secrets Manager appends to every secret's ARN.
    const arn = `arn:aws:secretsmanager:${s.region}:${s.account}:secret:${str(s.property('Name')) ?? generated(s)}-AbCdEf`;
    return { Ref: arn, Id: arn };
  },
  'AWS::S3::Bucket': (s) => {
    const name = str(s.property('BucketName')) ?? lower(s);
    return {
      Ref: name,
      Arn: `arn:aws:s3:::${name}`,
      DomainName: `${name}.s3.amazonaws.com`,
      RegionalDomainName: `${name}.s3.${s.region}.amazonaws.com`,
    };
  },
  'AWS::Logs::LogGroup': (s) => {
    const name = str(s.property('LogGroupName')) ?? generated(s);
    return { Ref: name, Arn: `arn:aws:logs:${s.region}:${s.account}:log-group:${name}:*` };
  },
  'AWS::Events::Rule': (s) => {
    const name = str(s.property('Name')) ?? generated(s);
    return { Ref: name, Arn: `arn:aws:events:${s.region}:${s.account}:rule/${name}` };
  },
  'AWS::Scheduler::Schedule': (s) => {
    const name = str(s.property('Name')) ?? generated(s);
    return {
      Ref: name,
      Arn: `arn:aws:scheduler:${s.region}:${s.account}:schedule/${str(s.property('GroupName')) ?? 'default'}/${name}`,
    };
  },
  'AWS::ECS::Cluster': (s) => {
    const name = str(s.property('ClusterName')) ?? generated(s);
    return { Ref: name, Arn: `arn:aws:ecs:${s.region}:${s.account}:cluster/${name}` };
  },
  'AWS::ECS::TaskDefinition': (s) => {
    const arn = `arn:aws:ecs:${s.region}:${s.account}:task-definition/${str(s.property('Family')) ?? generated(s)}:1`;
    return { Ref: arn, TaskDefinitionArn: arn };
  },
  'AWS::ECR::Repository': (s) => {
    const name = str(s.property('RepositoryName')) ?? lower(s);
    return {
      Ref: name,
      Arn: `arn:aws:ecr:${s.region}:${s.account}:repository/${name}`,
      RepositoryUri: `${s.account}.dkr.ecr.${s.region}.amazonaws.com/${name}`,
    };
  },
  'AWS::DynamoDB::Table': (s) => {
    const name = str(s.property('TableName')) ?? generated(s);
    const arn = `arn:aws:dynamodb:${s.region}:${s.account}:table/${name}`;
    return { Ref: name, Arn: arn, StreamArn: `${arn}/stream/GENERATED` };
  },
  // CloudFormation gives a distribution no Arn attribute; the model does, so paths can name it as a source.
  'AWS::CloudFront::Distribution': (s) => ({
    Ref: assignedId(s, 'E'),
    Id: assignedId(s, 'E'),
    DomainName: `${assignedId(s)}.cloudfront.net`,
    Arn: `arn:aws:cloudfront::${s.account}:distribution/${assignedId(s, 'E')}`,
  }),
  'AWS::CloudFront::KeyValueStore': (s) => ({
    Ref: str(s.property('Name')) ?? generated(s),
    Id: assignedId(s, 'kvs-'),
    Arn: `arn:aws:cloudfront::${s.account}:key-value-store/${assignedId(s, 'kvs-')}`,
  }),
  'AWS::CloudFront::Function': (s) => ({
    Ref: `arn:aws:cloudfront::${s.account}:function/${String(s.property('Name'))}`,
    FunctionARN: `arn:aws:cloudfront::${s.account}:function/${String(s.property('Name'))}`,
  }),
  'AWS::WAFv2::WebACL': (s) => {
    const name = str(s.property('Name')) ?? generated(s);
    const scope = s.property('Scope') === 'CLOUDFRONT' ? 'global' : 'regional';
    return {
      Ref: `${name}|${assignedId(s)}|${s.property('Scope')}`,
      Id: assignedId(s),
      Arn: `arn:aws:wafv2:${s.region}:${s.account}:${scope}/webacl/${name}/${assignedId(s)}`,
    };
  },
  'AWS::CloudWatch::Alarm': (s) => {
    const name = str(s.property('AlarmName')) ?? generated(s);
    return { Ref: name, Arn: `arn:aws:cloudwatch:${s.region}:${s.account}:alarm:${name}` };
  },
  'AWS::CertificateManager::Certificate': (s) => ({
    Ref: `arn:aws:acm:${s.region}:${s.account}:certificate/${assignedId(s)}`,
  }),
  'AWS::EC2::SecurityGroup': (s) => ({ Ref: assignedId(s, 'sg-'), GroupId: assignedId(s, 'sg-') }),
  'AWS::Route53::HealthCheck': (s) => ({ Ref: assignedId(s), HealthCheckId: assignedId(s) }),
};

export class UnknownAttributeError extends Error {
  constructor(site: ResourceSite, attribute: string) {
    super(
      `${site.stackName}: ${attribute === 'Ref' ? 'Ref' : `Fn::GetAtt ${attribute}`} of ${site.logicalId} (${site.resource.Type}) has no known value, so the permission model cannot resolve it. Fix: add ${site.resource.Type}'s ${attribute} to FORMATS in scripts/permissions/physical-ids.ts.`,
    );
    this.name = 'UnknownAttributeError';
  }
}

/** The value CloudFormation gives `Ref` (attribute `Ref`) or `Fn::GetAtt` of a resource. */
export function physicalValue(site: ResourceSite, attribute: string): string {
  const format = FORMATS[site.resource.Type];
  // Any other type's Ref is an id nobody's policy names; a stand-in keeps templates that Ref it resolvable.
  if (!format) {
    if (attribute === 'Ref') return `${site.logicalId}-physical-id`;
    throw new UnknownAttributeError(site, attribute);
  }
  const value = format(site)[attribute];
  if (value === undefined) throw new UnknownAttributeError(site, attribute);
  return value;
}
