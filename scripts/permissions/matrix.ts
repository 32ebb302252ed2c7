/**
 * The permission matrix of one environment: every catalogued runtime path (and the key legs it implies) decided
 * by the IAM engine and required to be allowed, every forbidden path required to be denied, every statement of
 * every role's policies required to serve some path, and every wildcard required to have a reason.
 */
import { isWildcardOnlyAction } from '@cloud-copilot/iam-simulate';
import type { ArnSpec, PrincipalSpec, ResourceRef, RuntimePath } from '../../lib/shared/runtime-paths';
import { STAGE_IDS } from '../../lib/stage-ids';
import type { Catalogued, LoadedCatalogue } from './catalogue';
import { AccessRequest, decide } from './evaluate';
import { derivedPaths, outsiderPaths } from './derived-paths';
import { keyLegs } from './legs';
import { personRoleArn, type PermissionModel, type PolicyStatement } from './model';
import { physicalValue } from './physical-ids';

export interface MatrixRow {
  readonly pathId: string;
  readonly kind: 'required' | 'forbidden';
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  /** For a key leg: through which service. */
  readonly via?: string;
  readonly decision: 'Allowed' | 'Denied' | 'Unproven' | 'Absent';
  readonly ok: boolean;
  /** The statements that decided (granted, or denied explicitly); for an implicit denial, which policy lacked one. */
  readonly decidedBy: string;
}

export interface WildcardReason {
  readonly statement: string;
  readonly wildcard: string;
  readonly reason: string;
}

export interface Matrix {
  readonly envName: string;
  readonly rows: MatrixRow[];
  readonly wildcards: WildcardReason[];
  /** Each failure names the path or statement, the decision, and what to add or remove. */
  readonly failures: string[];
}

class Absent extends Error {}

const list = (value: string | string[] | undefined) =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

function fill(model: PermissionModel, text: string): string {
  return text
    .replaceAll('{account}', model.account)
    .replaceAll('{region}', model.region)
    .replaceAll('{env}', model.envName)
    .replaceAll('{Stage}', STAGE_IDS[model.envName]);
}

function refArn(model: PermissionModel, ref: ResourceRef): string {
  const record = model.find(ref.stack, ref.id);
  if (!record) throw new Absent(`${ref.stack}/${ref.id}`);
  const arn = physicalValue(record, ref.attribute ?? defaultArnAttribute(record.resource.Type));
  // A log group's Arn attribute ends in `:*`; a stream's ARN replaces it.
  const suffix = fill(model, ref.suffix ?? '');
  return suffix.startsWith(':log-stream:') ? arn.replace(/:\*$/, '') + suffix : arn + suffix;
}

/** The attribute that is a resource's ARN: `Ref` for types whose Ref already is one. */
function defaultArnAttribute(type: string): string {
  return [
    'AWS::SNS::Topic',
    'AWS::SecretsManager::Secret',
    'AWS::IAM::ManagedPolicy',
    'AWS::ECS::TaskDefinition',
  ].includes(type)
    ? 'Ref'
    : 'Arn';
}

function arns(model: PermissionModel, spec: ArnSpec): string[] {
  if (typeof spec === 'string') return [fill(model, spec)];
  if ('every' in spec)
    return (
      model.templates
        .resources(spec.every)
        // A log group's Arn attribute ends in `:*` (its streams); the group itself is named without it.
        .map(
          (r) =>
            physicalValue(r, defaultArnAttribute(spec.every)).replace(/:log-group:(.*):\*$/, ':log-group:$1') +
            fill(model, spec.suffix ?? ''),
        )
        .filter((arn) => !(spec.except ?? []).some((part) => arn.includes(part)))
    );
  return [refArn(model, spec)];
}

interface Principal {
  readonly arn: string;
  readonly label: string;
  readonly context: Record<string, string>;
}

function principalsOf(model: PermissionModel, spec: PrincipalSpec): Principal[] {
  if ('everyRole' in spec)
    return [...model.roles.values()]
      .filter((role) => !spec.except?.includes(role.id))
      .map((role) => ({ arn: role.arn, label: role.id, context: {} }));
  return [principalOf(model, spec)];
}

function principalOf(model: PermissionModel, spec: Exclude<PrincipalSpec, { everyRole: true }>): Principal {
  if ('outsider' in spec) return { arn: spec.outsider, label: spec.outsider, context: {} };
  if ('person' in spec) {
    const person = model.role(personRoleArn(model.account, refArn(model, spec.person)));
    if (!person) throw new Absent(`an identity with only ${spec.person.stack}/${spec.person.id}`);
    return { arn: person.arn, label: person.id, context: {} };
  }
  if ('service' in spec) {
    const context: Record<string, string> = {};
    if (spec.sourceArn) context['aws:SourceArn'] = arns(model, spec.sourceArn)[0];
    if (spec.sourceAccount) context['aws:SourceAccount'] = model.account;
    return { arn: spec.service, label: spec.service, context };
  }
  const arn =
    spec.role === 'cloudformation-execution'
      ? [...model.roles.values()].find((r) => r.id === 'bootstrap/CloudFormationExecutionRole')?.arn
      : refArn(model, spec.role);
  const role = arn && model.role(arn);
  if (!role)
    throw new Absent(
      spec.role === 'cloudformation-execution'
        ? 'the CloudFormation execution role'
        : `${spec.role.stack}/${spec.role.id}`,
    );
  return { arn: role.arn, label: role.id, context: {} };
}

function contextOf(model: PermissionModel, path: { context?: RuntimePath['context'] }): Record<string, string> {
  return Object.fromEntries(
    Object.entries(path.context ?? {}).map(([key, value]) => [
      key,
      typeof value === 'string' ? fill(model, value) : arns(model, value)[0],
    ]),
  );
}

/** `identity <policy> #<n>` → the statement, for coverage and wildcard reasons. */
function identityStatements(model: PermissionModel): Map<string, { role: string; statement: PolicyStatement }> {
  const statements = new Map<string, { role: string; statement: PolicyStatement }>();
  for (const role of model.roles.values())
    for (const policy of role.identityPolicies)
      policy.policy.Statement.forEach((statement, index) => {
        const label = `identity ${policy.name} #${index + 1}${statement.Sid ? ` ${statement.Sid}` : ''}`;
        if (statement.Effect === 'Allow') statements.set(label, { role: role.id, statement });
      });
  return statements;
}

/** Wildcards AWS itself forces, explained by the model; undefined when the catalogue must give a reason. */
async function forcedWildcardReason(statement: PolicyStatement): Promise<string | undefined> {
  const actions = list(statement.Action);
  const resources = list(statement.Resource);
  if (actions.some((a) => a.includes('*') || a.includes('?'))) return undefined;
  const reasons: string[] = [];
  for (const resource of resources.filter((r) => r.includes('*') || r.includes('?'))) {
    if (resource === '*') {
      const only = await Promise.all(
        actions.map((a) => isWildcardOnlyAction(a.split(':')[0], a.split(':')[1]).catch(() => false)),
      );
      if (!only.every(Boolean)) return undefined;
      reasons.push(
        `${actions.join(', ')} support no resource-level permissions (AWS's service authorization reference)`,
      );
    } else if (/^arn:aws:secretsmanager:.*-\?{6}$/.test(resource) && !resource.slice(0, -7).includes('*'))
      reasons.push("the six random characters Secrets Manager appends to a secret's ARN");
    else if (/^arn:aws:logs:[^*?]+:log-group:[^*?]+(:\*){1,2}$/.test(resource))
      reasons.push("the log group's own streams");
    else return undefined;
  }
  return reasons.join('; ');
}

const hasWildcard = (statement: PolicyStatement) =>
  [...list(statement.Action), ...list(statement.Resource)].some((v) => v.includes('*') || v.includes('?'));

function skeleton(stack: string, roleId: string, statement: PolicyStatement, label: string): string {
  const action = list(statement.Action)[0] ?? list(statement.NotAction)[0];
  const resource = list(statement.Resource)[0] ?? '*';
  // A policy attached by hand (model.ts indexPersonRoles) is named by the policy: `identity <Stack>/<Policy> #n`.
  const policy = /^identity ([^/]+)\/(\S+)/.exec(label);
  const principal =
    stack === 'attached' && policy
      ? `{ person: resource('${policy[1]}', '${policy[2]}') }`
      : `role('${stack}', '${roleId}')`;
  return `{ id: '…', what: '…', principal: ${principal}, actions: ['${action}'], resource: '${resource}' }`;
}

export interface MatrixOptions {
  /** Decide only these paths, and skip the coverage and wildcard checks (which need every path). */
  readonly only?: (pathId: string) => boolean;
}

export async function permissionMatrix(
  model: PermissionModel,
  catalogue: LoadedCatalogue,
  options: MatrixOptions = {},
): Promise<Matrix> {
  const rows: MatrixRow[] = [];
  const failures: string[] = [];
  const grantedBy = new Map<string, Catalogued<RuntimePath>[]>();

  const run = async (entry: Catalogued<RuntimePath>, kind: 'required' | 'forbidden') => {
    const { path, file } = entry;
    let principals: Principal[];
    let resources: string[];
    try {
      principals = principalsOf(model, path.principal);
      resources = arns(model, path.resource);
    } catch (error) {
      if (!(error instanceof Absent)) throw error;
      if (!path.optional)
        failures.push(
          `${path.id} (${file}): ${error.message} is not in ${model.envName}'s stacks. Fix: update the path to the construct's new logical id, or mark it \`optional: true\` if config leaves the construct out.`,
        );
      rows.push({
        pathId: path.id,
        kind,
        principal: error.message,
        action: path.actions.join(', '),
        resource: '-',
        decision: 'Absent',
        ok: Boolean(path.optional),
        decidedBy: `not in ${model.envName} (config)`,
      });
      return;
    }
    for (const principal of principals)
      for (const action of path.actions)
        for (const resource of resources) {
          const context = { ...principal.context, ...contextOf(model, path) };
          const request: AccessRequest = { principal: principal.arn, action, resource, context };
          const requests = [
            { ...request, via: undefined as string | undefined },
            ...(kind === 'required' ? keyLegs(model, request) : []),
          ];
          for (const leg of requests) {
            const decision = await decide(model, leg);
            const unproven = decision.result === 'Unproven';
            // An engine error proves nothing either way: it fails both kinds of path.
            const ok =
              decision.result !== 'Error' && (kind === 'required' ? decision.allowed || unproven : !decision.allowed);
            const decidedBy =
              decision.statements.length > 0
                ? decision.statements.join('; ')
                : `no statement allows it (${decision.missing.join(', ')})`;
            rows.push({
              pathId: path.id,
              kind,
              principal: principal.label,
              action: leg.action,
              resource: leg.resource,
              via: leg.via,
              decision: decision.allowed ? 'Allowed' : unproven ? 'Unproven' : 'Denied',
              ok,
              decidedBy,
            });
            if (decision.allowed)
              for (const statement of decision.statements)
                grantedBy.set(statement, [...(grantedBy.get(statement) ?? []), entry]);
            if (decision.result === 'Error')
              failures.push(
                `${path.id} (${file}) cannot be decided: ${principal.label} ${leg.action} on ${leg.resource}: ${decision.missing.join('; ')}. Fix: name a resource of the type ${leg.action} acts on.`,
              );
            else if (!ok && kind === 'required')
              failures.push(
                `${path.id} (${file}) is DENIED: ${principal.label} ${leg.action} on ${leg.resource}${leg.via ? ` (${leg.via}, ${JSON.stringify(leg.context)})` : ''}; ${decidedBy}. Fix: add a statement allowing it to ${missingWhere(decision.missing, principal.label, leg.resource)}.`,
              );
            else if (!ok && kind === 'forbidden')
              failures.push(
                `forbidden path ${path.id} (${file}) is ALLOWED: ${principal.label} ${leg.action} on ${leg.resource}, by ${decidedBy}. Fix: remove or narrow that statement.`,
              );
          }
        }
  };
  const selected = <T extends { path: { id: string } }>(entries: T[]) =>
    entries.filter((e) => options.only?.(e.path.id) ?? true);
  for (const entry of selected([...catalogue.paths, ...derivedPaths(model)])) await run(entry, 'required');
  for (const entry of selected([...catalogue.forbidden, ...(await outsiderPaths(model))]))
    await run(entry, 'forbidden');
  if (options.only) return { envName: model.envName, rows, wildcards: [], failures };

  const wildcards: WildcardReason[] = [];
  for (const [label, { role, statement }] of identityStatements(model)) {
    const users = grantedBy.get(label);
    if (!users) {
      const [stack, ...rest] = role.split('/');
      failures.push(
        `${role}'s statement ${label} (${list(statement.Action).join(', ')} on ${list(statement.Resource).join(', ')}) serves no catalogued path. Fix: add the path it exists for to the *.paths.ts beside the construct that creates ${role}, e.g. ${skeleton(stack, rest.join('/'), statement, label)}, or remove the statement.`,
      );
      continue;
    }
    if (!hasWildcard(statement)) continue;
    const reason =
      (await forcedWildcardReason(statement)) ?? users.map((u) => u.path.wildcardReason).find((r) => r !== undefined);
    const wildcard = [...list(statement.Action), ...list(statement.Resource)]
      .filter((v) => v.includes('*') || v.includes('?'))
      .join(', ');
    if (reason) wildcards.push({ statement: label, wildcard, reason });
    else
      failures.push(
        `${label} has the wildcard ${wildcard} and no reason. Fix: narrow it, or give \`wildcardReason\` on path ${users[0].path.id} (${users[0].file}).`,
      );
  }
  return { envName: model.envName, rows, wildcards, failures };
}

function missingWhere(missing: string[], principal: string, resource: string): string {
  const where: string[] = [];
  if (missing.includes('identity')) where.push(`${principal}'s policy`);
  if (missing.includes('resource')) where.push(`the resource policy of ${resource} (a key policy for a key)`);
  return where.length > 0 ? where.join(' and ') : `${principal}'s policy or ${resource}'s policy`;
}
