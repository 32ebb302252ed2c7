/**
 * Paths that follow from a resource's own configuration, so the model lists them rather than a person: each
 * function's dead-letter target, each SNS subscription's redrive queue, and CloudWatch Logs' use of the key that
 * encrypts each log group. The key legs of each (SQS to KMS) follow in legs.ts.
 */
import type { ResourceRef, RuntimePath } from '../../lib/shared/runtime-paths';
import type { Catalogued } from './catalogue';
import { PermissionModel, readableId } from './model';
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
