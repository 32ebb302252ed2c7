/**
 * Paths that follow from a resource's own configuration, so the model lists them rather than a person: each
 * function's dead-letter target, each SNS subscription's redrive queue, CloudWatch Logs' use of each log group's
 * key (key legs: legs.ts), and, from every resource policy, that nobody outside the account gets what it allows.
 */
import type { ForbiddenPath, ResourceRef, RuntimePath } from '../../lib/shared/runtime-paths';
import { isWildcardOnlyAction } from '@cloud-copilot/iam-simulate';
import type { Catalogued } from './catalogue';
import { PermissionModel, PolicyStatement, readableId } from './model';
import { physicalValue } from './physical-ids';
import type { ResourceRecord } from './resolve';

const FILE = 'scripts/permissions/derived-paths.ts';

const refOf = (record: ResourceRecord): ResourceRef => ({ stack: record.stack.part, id: record.logicalId });

function deadLetterPaths(model: PermissionModel): RuntimePath[] {
  const queueByArn = new Map(model.templates.resources('AWS::SQS::Queue').map((q) => [physicalValue(q, 'Arn'), q]));
  const paths: RuntimePath[] = [];
  for (const fn of model.templates.resources('AWS::Lambda::Function')) {
    const target = (fn.property('DeadLetterConfig') as { TargetArn?: string } | undefined)?.TargetArn;
    const role = model.role(String(fn.property('Role')));
    if (!target || !role?.record) continue;
    const queue = queueByArn.get(target);
    paths.push({
      id: `${readableId(fn.logicalId)}-dead-letter`,
      what: `an asynchronous invocation of ${readableId(fn.logicalId)} that fails after Lambda's retries is kept in its dead-letter ${queue ? 'queue' : 'topic'}`,
      principal: { role: refOf(role.record) },
      actions: [queue ? 'sqs:SendMessage' : 'sns:Publish'],
      resource: target,
    });
  }
  for (const subscription of model.templates.resources('AWS::SNS::Subscription')) {
    const target = (subscription.property('RedrivePolicy') as { deadLetterTargetArn?: string } | undefined)
      ?.deadLetterTargetArn;
    if (!target) continue;
    paths.push({
      id: `${readableId(subscription.logicalId)}-redrive`,
      what: `a message SNS cannot deliver to the ${subscription.property('Protocol')} subscription ${readableId(subscription.logicalId)} goes to its dead-letter queue`,
      principal: {
        service: 'sns.amazonaws.com',
        sourceArn: String(subscription.property('TopicArn')),
        sourceAccount: true,
      },
      actions: ['sqs:SendMessage'],
      resource: target,
    });
  }
  return paths;
}

/** CloudWatch Logs encrypts and reads each encrypted log group's lines with its key, naming the group. */
function logGroupKeyPaths(model: PermissionModel): RuntimePath[] {
  return model.templates
    .resources('AWS::Logs::LogGroup')
    .filter((group) => group.property('KmsKeyId') !== undefined)
    .map((group) => {
      const groupArn = physicalValue(group, 'Arn').replace(/:\*$/, '');
      return {
        id: `${readableId(group.logicalId)}-encrypted-by-logs`,
        what: `CloudWatch Logs encrypts ${readableId(group.logicalId)} with its key`,
        principal: { service: `logs.${model.region}.amazonaws.com` },
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resource: model.keyArn(String(group.property('KmsKeyId'))) ?? String(group.property('KmsKeyId')),
        context: { 'kms:EncryptionContext:aws:logs:arn': groupArn },
      };
    });
}

export function derivedPaths(model: PermissionModel): Catalogued<RuntimePath>[] {
  return [...deadLetterPaths(model), ...logGroupKeyPaths(model)].map((path) => ({ path, file: FILE }));
}

/** Another account, for the "nobody outside the account" proofs. */
export const OUTSIDE_ACCOUNT = '999999999999';

const asList = (value: unknown): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [String(value)];
const concrete = (value: string) => value.replaceAll('*', 'x').replaceAll('?', 'x');
const mentions = (condition: PolicyStatement['Condition'], key: string) =>
  Object.values(condition ?? {}).some((keys) => Object.keys(keys).some((k) => k.toLowerCase() === key));

/**
 * Per resource policy: each action it allows, asked by another account's principal and, where a service acts for a
 * source, by that service for another account's source (the confused deputy). All must be denied.
 */
export async function outsiderPaths(model: PermissionModel): Promise<Catalogued<ForbiddenPath>[]> {
  const paths: ForbiddenPath[] = [];
  for (const { arn, policy } of model.resourcePolicies.values()) {
    for (const [index, statement] of policy.Statement.entries()) {
      if (statement.Effect !== 'Allow') continue;
      const resources = asList(statement.Resource).map((r) => (r === '*' ? arn : concrete(r)));
      const service = (statement.Principal as { Service?: string | string[] } | undefined)?.Service;
      const guarded =
        mentions(statement.Condition, 'aws:sourcearn') || mentions(statement.Condition, 'aws:sourceaccount');
      for (const action of asList(statement.Action)) {
        // Account-level actions (kms:ListAliases) name no resource; wildcard actions are covered by their members.
        if (action.includes('*') || (await isWildcardOnlyAction(...(action.split(':') as [string, string])))) continue;
        // An object action needs an object's ARN, a bucket action the bucket's.
        const objectAction = /^s3:.*Object/.test(action);
        const resource = resources.find((r) => !r.startsWith('arn:aws:s3:') || r.includes('/') === objectAction) ?? arn;
        const where = `statement ${index + 1} of ${arn}'s policy`;
        paths.push({
          id: `outsider-${action}-${paths.length}`,
          what: `another account's principal is refused ${action}, which ${where} allows`,
          principal: { outsider: `arn:aws:iam::${OUTSIDE_ACCOUNT}:root` },
          actions: [action],
          resource,
        });
        for (const name of guarded ? asList(service) : [])
          paths.push({
            id: `confused-deputy-${name}-${action}-${paths.length}`,
            what: `${name} acting for another account's resource is refused ${action}, which ${where} allows`,
            principal: {
              service: name,
              sourceArn: `arn:aws:${name.split('.')[0]}:${model.region}:${OUTSIDE_ACCOUNT}:theirs`,
            },
            context: { 'aws:SourceAccount': OUTSIDE_ACCOUNT },
            actions: [action],
            resource,
          });
      }
    }
  }
  return paths.map((path) => ({ path, file: FILE }));
}
