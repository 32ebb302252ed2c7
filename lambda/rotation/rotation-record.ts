/**
 * Records a finished rotation in the audit trail (lambda/shared/audit-log.ts): which secret, AWSCURRENT's old → new
 * version id (never a value). AWSCURRENT has already moved, so a failed append is logged and counted (MiKO/Secrets
 * UnrecordedRotations), not thrown; only if that count fails too does the step fail, so the errors alarm pages.
 */
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import type { S3Client } from '@aws-sdk/client-s3';
import { appendAuditRecord } from '../shared/audit-log';
import type { Logger } from '../shared/log';
import { METRIC_NAMESPACE, UNRECORDED_ROTATIONS_METRIC } from '../rotation-age/metric';
import type { FinishedRotation } from './engine';

/** Secrets Manager does not say who started a rotation: `npm run rotate` adds its own record with who and why. */
export const SCHEDULED_ROTATION_REASON =
  "scheduled rotation (npm run rotate's rotations also carry the operator's record)";

export interface RotationRecordSettings {
  /** MIKO_ENVIRONMENT, set by RotationFunction. */
  readonly environment: string | undefined;
  /** AUDIT_BUCKET, set by RotationFunction. */
  readonly auditBucket: string | undefined;
  /** AWS_LAMBDA_FUNCTION_NAME. */
  readonly functionName: string | undefined;
}

export interface RotationRecordClients {
  readonly s3: S3Client;
  readonly cloudwatch: CloudWatchClient;
}

/** `miko/production/x` from the ARN Secrets Manager passes (its name plus a 6-character suffix), else the id as is. */
export function secretNameOf(secretId: string): string {
  return /^arn:[^:]+:secretsmanager:[^:]+:\d+:secret:(.+)-[A-Za-z0-9]{6}$/.exec(secretId)?.[1] ?? secretId;
}

export function rotationRecorder(
  settings: RotationRecordSettings,
  clients: RotationRecordClients,
  log: Logger,
): (rotation: FinishedRotation) => Promise<void> {
  return async ({ secretId, previousVersionId, versionId }) => {
    const secret = secretNameOf(secretId);
    const fields = { secretId, versionId, previousVersionId };
    try {
      if (!settings.environment || !settings.auditBucket)
        throw new Error(
          'MIKO_ENVIRONMENT or AUDIT_BUCKET is not set. Fix: deploy the function through its CDK construct (RotationFunction).',
        );
      await appendAuditRecord(clients.s3, settings.auditBucket, {
        env: settings.environment,
        action: 'secret-rotation',
        who: `secretsmanager rotation function ${settings.functionName ?? '(unnamed)'}`,
        before: { secret, AWSCURRENT: previousVersionId },
        after: { secret, AWSCURRENT: versionId },
        why: SCHEDULED_ROTATION_REASON,
      });
      log.info('rotation recorded in the audit trail', fields);
    } catch (error) {
      log.error('rotation NOT RECORDED in the audit trail (AWSCURRENT has moved and works)', {
        ...fields,
        error: (error as Error).name,
        reason: (error as Error).message,
      });
      await clients.cloudwatch.send(
        new PutMetricDataCommand({
          Namespace: METRIC_NAMESPACE,
          MetricData: [{ MetricName: UNRECORDED_ROTATIONS_METRIC, Value: 1, Unit: 'Count' }],
        }),
      );
    }
  };
}
