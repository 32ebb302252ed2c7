/**
 * The calls a service makes on a caller's behalf, which AWS checks too: SQS, SNS, Secrets Manager and S3 use an
 * encrypted resource's KMS key as the calling role (`kms:ViaService`), and a service principal delivering to an
 * encrypted queue or topic uses the key itself (`aws:SourceArn`). Derived, so every such path proves its key leg.
 */
import type { AccessRequest } from './evaluate';
import type { PermissionModel } from './model';

export interface Leg extends AccessRequest {
  /** What the leg is: `through sqs: kms:GenerateDataKey`. */
  readonly via: string;
}

/** Per service action: the KMS actions the service calls, and the encryption context it sends. */
const KEY_USE: Record<string, { actions: string[]; context?: (arn: string) => Record<string, string> }> = {
  'sqs:SendMessage': {
    actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
    context: (arn) => ({ 'kms:EncryptionContext:aws:sqs:arn': arn }),
  },
  'sqs:ReceiveMessage': { actions: ['kms:Decrypt'], context: (arn) => ({ 'kms:EncryptionContext:aws:sqs:arn': arn }) },
  'sns:Publish': { actions: ['kms:GenerateDataKey', 'kms:Decrypt'] },
  'secretsmanager:GetSecretValue': {
    actions: ['kms:Decrypt'],
    context: (arn) => ({ 'kms:EncryptionContext:SecretARN': arn }),
  },
  'secretsmanager:PutSecretValue': {
    actions: ['kms:GenerateDataKey'],
    context: (arn) => ({ 'kms:EncryptionContext:SecretARN': arn }),
  },
  's3:GetObject': { actions: ['kms:Decrypt'] },
  's3:PutObject': { actions: ['kms:GenerateDataKey'] },
};

export function keyLegs(model: PermissionModel, request: AccessRequest): Leg[] {
  const use = KEY_USE[request.action];
  const key = use && model.keyFor(request.resource);
  if (!use || !key) return [];
  const service = request.action.split(':')[0];
  const byService = !request.principal.startsWith('arn:');
  // S3 with bucket keys asks KMS in the bucket's name; the others in the resource's own.
  const contextArn = service === 's3' ? request.resource.replace(/\/.*$/, '') : request.resource;
  const encryptionContext =
    service === 's3' ? { 'kms:EncryptionContext:aws:s3:arn': contextArn } : (use.context?.(contextArn) ?? {});
  return use.actions.map((action) => ({
    principal: request.principal,
    action,
    resource: key,
    via: byService ? `${request.principal} itself: ${action}` : `through ${service}: ${action}`,
    context: byService
      ? {
          ...pick(request.context, ['aws:SourceArn', 'aws:SourceAccount']),
          ...ownContext(request),
          ...encryptionContext,
        }
      : {
          'kms:ViaService': `${service}.${model.region}.amazonaws.com`,
          'kms:CallerAccount': model.account,
          ...encryptionContext,
        },
  }));
}

/** Encryption context a service principal adds of its own (CloudTrail names its trail), given in the path's context. */
function ownContext(request: AccessRequest): Record<string, string | string[]> {
  return Object.fromEntries(Object.entries(request.context).filter(([k]) => k.startsWith('kms:EncryptionContext:')));
}

function pick(context: Readonly<Record<string, string | string[]>>, keys: string[]): Record<string, string | string[]> {
  return Object.fromEntries(keys.filter((k) => k in context).map((k) => [k, context[k]]));
}
