/**
 * One environment's permission model, from the resolved templates only: the principals (every role of its stacks
 * with its identity policies, and outside roles whose policies the stacks define), which resource policies apply to
 * which ARN, and which key encrypts which resource.
 */
import type { EnvironmentName } from '../../lib/config/schema';
import { executionPolicyName } from '../../lib/delivery/execution-policy';
import {
  bootstrapRoleArn,
  bootstrapVersionParameter,
  CDK_BOOTSTRAP_QUALIFIER,
} from '../../lib/delivery/bootstrap-roles';
import { physicalValue } from './physical-ids';
import type { BucketEncryption } from '../../tools/analysis/template';
import { EnvironmentTemplates, ResourceRecord } from './resolve';
import { environmentStackTemplates } from './stacks';

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Principal?: unknown;
  NotPrincipal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

export interface PolicyDocument {
  Version: string;
  Statement: PolicyStatement[];
}

/** A policy attached to a principal, named as the matrix names it: `<stack>/<logical id>` or its IAM name. */
export interface IdentityPolicy {
  readonly name: string;
  readonly policy: PolicyDocument;
}

export interface ModelRole {
  readonly arn: string;
  /** `<stack part>/<logical id without its hash>`, as the catalogue names it: `Monitoring/TopicsPagerRole`. */
  readonly id: string;
  readonly record?: ResourceRecord;
  readonly trustPolicy?: PolicyDocument;
  readonly identityPolicies: IdentityPolicy[];
}

export interface ModelResourcePolicy {
  readonly arn: string;
  readonly policy: PolicyDocument;
  /** The logical ids the statements came from, in order (one per statement). */
  readonly sources: string[];
}

const asList = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** The model's stand-in for an identity that has only the managed policy `policyArn` attached. */
export const personRoleArn = (account: string, policyArn: string) =>
  `arn:aws:iam::${account}:role/attached-${policyArn.split('/').pop()}`;

/** A logical id without the 8-hex-digit hash CDK appends: `TopicsPagerRole6FDEE832` → `TopicsPagerRole`. */
export function readableId(logicalId: string): string {
  return logicalId.replace(/[0-9A-F]{8}$/, '');
}

export class PermissionModel {
  readonly roles = new Map<string, ModelRole>();
  readonly resourcePolicies = new Map<string, ModelResourcePolicy>();
  /** Encrypted resource's ARN → the ARN of the KMS key that encrypts it. */
  readonly encryption = new Map<string, string>();
  /** Key id, key ARN or alias → key ARN. */
  private readonly keyArns = new Map<string, string>();

  constructor(
    readonly envName: EnvironmentName,
    readonly templates: EnvironmentTemplates,
  ) {
    this.indexKeys();
    this.indexRoles();
    this.indexExternalRoles();
    this.indexResourcePolicies();
    this.indexEncryption();
  }

  get account(): string {
    return this.templates.account;
  }

  get region(): string {
    return this.templates.region;
  }

  /** The record of a resource named by stack part and readable id, or undefined when the environment lacks it. */
  find(part: string, id: string): ResourceRecord | undefined {
    const stack = this.templates.stacks.find((s) => s.part === part);
    if (!stack) return undefined;
    const logicalId = Object.keys(stack.template.Resources ?? {}).find((l) => l === id || readableId(l) === id);
    return logicalId ? this.templates.site(stack, logicalId) : undefined;
  }

  role(arn: string): ModelRole | undefined {
    return this.roles.get(arn);
  }

  keyArn(reference: string): string | undefined {
    return this.keyArns.get(reference) ?? (reference.startsWith('arn:aws:kms:') ? reference : undefined);
  }

  /** The resource policy that governs a request on `arn` (a bucket's for its objects, a function's for its versions). */
  resourcePolicyFor(arn: string): ModelResourcePolicy | undefined {
    const direct = this.resourcePolicies.get(arn);
    if (direct) return direct;
    const s3 = /^arn:aws:s3:::([^/]+)\//.exec(arn);
    if (s3) return this.resourcePolicies.get(`arn:aws:s3:::${s3[1]}`);
    const lambda = /^(arn:aws:lambda:[^:]+:[^:]+:function:[^:]+):.+$/.exec(arn);
    if (lambda) return this.resourcePolicies.get(lambda[1]);
    return undefined;
  }

  /** The key that encrypts `arn` (an object inherits its bucket's default encryption). */
  keyFor(arn: string): string | undefined {
    const bucket = /^arn:aws:s3:::([^/]+)\//.exec(arn);
    return this.encryption.get(bucket ? `arn:aws:s3:::${bucket[1]}` : arn);
  }

  private indexKeys(): void {
    for (const key of this.templates.resources('AWS::KMS::Key')) {
      const arn = physicalValue(key, 'Arn');
      this.keyArns.set(arn, arn).set(physicalValue(key, 'Ref'), arn);
    }
    for (const alias of this.templates.resources('AWS::KMS::Alias')) {
      const target = this.keyArn(String(alias.property('TargetKeyId')));
      if (target) {
        const name = String(alias.property('AliasName'));
        this.keyArns.set(name, target).set(`arn:aws:kms:${this.region}:${this.account}:${name}`, target);
      }
    }
  }

  private indexRoles(): void {
    for (const record of this.templates.resources('AWS::IAM::Role')) {
      const arn = physicalValue(record, 'Arn');
      const inline = asList(
        record.property('Policies') as Array<{ PolicyName: string; PolicyDocument: PolicyDocument }>,
      );
      this.roles.set(arn, {
        arn,
        id: `${record.stack.part}/${readableId(record.logicalId)}`,
        record,
        trustPolicy: record.property('AssumeRolePolicyDocument') as PolicyDocument,
        identityPolicies: inline.map((p) => ({
          name: `${record.stack.part}/${readableId(record.logicalId)}/${p.PolicyName}`,
          policy: p.PolicyDocument,
        })),
      });
    }
    const roleByName = new Map([...this.roles.values()].map((r) => [physicalValue(r.record!, 'Ref'), r]));
    const managed = new Map<string, IdentityPolicy>();
    for (const kind of ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy']) {
      for (const record of this.templates.resources(kind)) {
        const policy: IdentityPolicy = {
          name: `${record.stack.part}/${readableId(record.logicalId)}`,
          policy: record.property('PolicyDocument') as PolicyDocument,
        };
        if (kind === 'AWS::IAM::ManagedPolicy') managed.set(physicalValue(record, 'Ref'), policy);
        for (const roleName of asList(record.property('Roles') as string[]))
          roleByName.get(roleName)?.identityPolicies.push(policy);
      }
    }
    for (const role of this.roles.values()) {
      for (const policyArn of asList(role.record!.property('ManagedPolicyArns') as string[])) {
        const policy = managed.get(policyArn);
        if (!policy)
          throw new Error(
            `${role.id} has the managed policy ${policyArn}, which no stack of ${this.envName} defines, so its permissions cannot be proven offline. Fix: grant what it needs with statements of the app's own.`,
          );
        if (!role.identityPolicies.includes(policy)) role.identityPolicies.push(policy);
      }
    }
  }

  /**
   * The roles `cdk bootstrap` creates: the execution role with the CiAccess stack's policy (bootstrap-command), the
   * others only as what CI may assume (they trust the account; their own policies are the bootstrap's, not ours).
   */
  private indexExternalRoles(): void {
    for (const kind of ['deploy', 'file-publishing', 'image-publishing', 'lookup'] as const) {
      const arn = bootstrapRoleArn(kind, this.account, this.region);
      const trust: PolicyStatement = {
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${this.account}:root` },
        Action: 'sts:AssumeRole',
      };
      this.roles.set(arn, {
        arn,
        id: `bootstrap/${kind}`,
        identityPolicies: [],
        trustPolicy: { Version: '2012-10-17', Statement: [trust] },
      });
    }
    this.indexPersonRoles();
    const policyArn = `arn:aws:iam::${this.account}:policy/${executionPolicyName(this.envName)}`;
    const policy = this.templates
      .resources('AWS::IAM::ManagedPolicy')
      .find((p) => physicalValue(p, 'Ref') === policyArn);
    if (!policy) return;
    const arn = `arn:aws:iam::${this.account}:role/cdk-${CDK_BOOTSTRAP_QUALIFIER}-cfn-exec-role-${this.account}-${this.region}`;
    this.roles.set(arn, {
      arn,
      id: 'bootstrap/CloudFormationExecutionRole',
      identityPolicies: [
        {
          name: `CiAccess/${readableId(policy.logicalId)}`,
          policy: policy.property('PolicyDocument') as PolicyDocument,
        },
      ],
    });
  }

  /**
   * The customer-managed policies no role of the stacks has (the execution policy aside), attached by hand to a
   * person's role or the app's back end: each becomes a role holding only that policy, `attached/<policy>`.
   */
  private indexPersonRoles(): void {
    const attached = new Set(
      [...this.roles.values()].flatMap((r) => asList(r.record?.property('ManagedPolicyArns') as string[])),
    );
    const executionPolicy = `arn:aws:iam::${this.account}:policy/${executionPolicyName(this.envName)}`;
    for (const record of this.templates.resources('AWS::IAM::ManagedPolicy')) {
      const policyArn = physicalValue(record, 'Ref');
      if (attached.has(policyArn) || policyArn === executionPolicy) continue;
      if (['Roles', 'Users', 'Groups'].some((p) => asList(record.property(p) as string[]).length > 0)) continue;
      const arn = personRoleArn(this.account, policyArn);
      this.roles.set(arn, {
        arn,
        id: `attached/${readableId(record.logicalId)}`,
        identityPolicies: [
          {
            name: `${record.stack.part}/${readableId(record.logicalId)}`,
            policy: record.property('PolicyDocument') as PolicyDocument,
          },
        ],
      });
    }
  }

  private addResourcePolicy(arn: string, source: string, statements: PolicyStatement[]): void {
    const existing = this.resourcePolicies.get(arn) ?? {
      arn,
      policy: { Version: '2012-10-17', Statement: [] },
      sources: [],
    };
    for (const statement of statements) {
      existing.policy.Statement.push(statement);
      existing.sources.push(source);
    }
    this.resourcePolicies.set(arn, existing);
  }

  private indexResourcePolicies(): void {
    const arnOfRef = new Map<string, string>();
    for (const type of ['AWS::SQS::Queue', 'AWS::S3::Bucket'])
      for (const record of this.templates.resources(type))
        arnOfRef.set(physicalValue(record, 'Ref'), physicalValue(record, 'Arn'));
    const attach = (record: ResourceRecord, targets: string[]) => {
      const document = record.property('PolicyDocument') as PolicyDocument;
      for (const target of targets)
        this.addResourcePolicy(
          arnOfRef.get(target) ?? target,
          `${record.stack.part}/${readableId(record.logicalId)}`,
          document.Statement,
        );
    };
    for (const record of this.templates.resources('AWS::SQS::QueuePolicy'))
      attach(record, record.property('Queues') as string[]);
    for (const record of this.templates.resources('AWS::SNS::TopicPolicy'))
      attach(record, record.property('Topics') as string[]);
    for (const record of this.templates.resources('AWS::S3::BucketPolicy'))
      attach(record, [`arn:aws:s3:::${String(record.property('Bucket'))}`]);
    for (const record of this.templates.resources('AWS::SecretsManager::ResourcePolicy'))
      this.addResourcePolicy(
        String(record.property('SecretId')),
        `${record.stack.part}/${readableId(record.logicalId)}`,
        (record.property('ResourcePolicy') as PolicyDocument).Statement,
      );
    for (const key of this.templates.resources('AWS::KMS::Key'))
      this.addResourcePolicy(
        physicalValue(key, 'Arn'),
        `${key.stack.part}/${readableId(key.logicalId)}`,
        (key.property('KeyPolicy') as PolicyDocument).Statement,
      );
    for (const permission of this.templates.resources('AWS::Lambda::Permission')) this.addLambdaPermission(permission);
    for (const role of this.roles.values())
      if (role.trustPolicy) this.addResourcePolicy(role.arn, `${role.id} (trust policy)`, role.trustPolicy.Statement);
  }

  /** A Lambda::Permission is one statement of the function's resource policy. */
  private addLambdaPermission(record: ResourceRecord): void {
    const name = String(record.property('FunctionName'));
    const functionArn = name.startsWith('arn:')
      ? name
      : `arn:aws:lambda:${this.region}:${this.account}:function:${name}`;
    const principal = String(record.property('Principal'));
    const condition: Record<string, Record<string, unknown>> = {};
    const add = (operator: string, key: string, value: unknown) => {
      if (value !== undefined) condition[operator] = { ...condition[operator], [key]: value };
    };
    add('ArnLike', 'AWS:SourceArn', record.property('SourceArn'));
    add('StringEquals', 'AWS:SourceAccount', record.property('SourceAccount'));
    add('StringEquals', 'lambda:FunctionUrlAuthType', record.property('FunctionUrlAuthType'));
    add('StringEquals', 'aws:PrincipalOrgID', record.property('PrincipalOrgID'));
    if (record.property('InvokedViaFunctionUrl') === true) add('Bool', 'lambda:InvokedViaFunctionUrl', 'true');
    this.addResourcePolicy(functionArn, `${record.stack.part}/${readableId(record.logicalId)}`, [
      {
        Sid: readableId(record.logicalId),
        Effect: 'Allow',
        Principal: principal.endsWith('.amazonaws.com')
          ? { Service: principal }
          : { AWS: principal === '*' ? '*' : principal },
        Action: String(record.property('Action')),
        Resource: functionArn,
        ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
      },
    ]);
  }

  private indexEncryption(): void {
    const encrypted: Array<[string, string, string]> = [
      ['AWS::SQS::Queue', 'KmsMasterKeyId', 'Arn'],
      ['AWS::SNS::Topic', 'KmsMasterKeyId', 'Ref'],
      ['AWS::SecretsManager::Secret', 'KmsKeyId', 'Ref'],
      ['AWS::Logs::LogGroup', 'KmsKeyId', 'Arn'],
    ];
    for (const [type, property, attribute] of encrypted)
      for (const record of this.templates.resources(type)) {
        const key = record.property(property);
        if (typeof key === 'string') this.encryption.set(physicalValue(record, attribute), this.keyArn(key) ?? key);
      }
    for (const bucket of this.templates.resources('AWS::S3::Bucket')) {
      const rules = (bucket.property('BucketEncryption') as BucketEncryption | undefined)
        ?.ServerSideEncryptionConfiguration;
      const key = rules?.[0]?.ServerSideEncryptionByDefault?.KMSMasterKeyID;
      if (typeof key === 'string') this.encryption.set(physicalValue(bucket, 'Arn'), this.keyArn(key) ?? key);
    }
  }
}

/** The bootstrap version `cdk bootstrap` writes to SSM; templates only compare it, so any current version will do. */
const BOOTSTRAP_VERSION = '30';

/** The permission model of one environment of the assembly in `assemblyDir`. */
export function permissionModel(assemblyDir: string, envName: EnvironmentName): PermissionModel {
  const templates = new EnvironmentTemplates(environmentStackTemplates(assemblyDir, envName), {
    [bootstrapVersionParameter()]: BOOTSTRAP_VERSION,
  });
  return new PermissionModel(envName, templates);
}
