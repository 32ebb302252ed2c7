/**
 * What every rotation handler shares: one client per AWS service per container, a JSON logger, the audit record
 * of a finished rotation (rotation-record.ts), and an error log line that names the step and the error's kind
 * (never a value) before the error goes back to Secrets Manager.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { jsonLogger } from '../shared/log';
import { parseSecretValue } from '../shared/secret-value';
import { RotationEvent, Rotator, runRotationStep } from './engine';
import { rotationRecorder } from './rotation-record';

export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(`environment variable ${name} is not set. Fix: deploy the function through its CDK construct.`);
  return value;
}

/** Reads another secret's AWSCURRENT value (a management token), for rotators that need one. */
export function currentValueReader(sm: SecretsManagerClient, secretId: string): () => Promise<string> {
  return async () => {
    const got = await sm.send(new GetSecretValueCommand({ SecretId: secretId, VersionStage: 'AWSCURRENT' }));
    return parseSecretValue(got.SecretString, `secret ${secretId}`).value;
  };
}

export function rotationHandler(kind: string, makeRotator: (sm: SecretsManagerClient) => Rotator) {
  const sm = new SecretsManagerClient({});
  const log = jsonLogger({ rotator: kind });
  const onFinished = rotationRecorder(
    {
      environment: process.env.MIKO_ENVIRONMENT,
      auditBucket: process.env.AUDIT_BUCKET,
      functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    },
    { s3: new S3Client({}), cloudwatch: new CloudWatchClient({}) },
    log,
  );
  return async (event: RotationEvent): Promise<void> => {
    try {
      await runRotationStep(event, { sm, rotator: makeRotator(sm), log, onFinished });
    } catch (error) {
      log.error('rotation step failed', {
        secretId: event.SecretId,
        versionId: event.ClientRequestToken,
        step: event.Step,
        error: (error as Error).name,
        reason: (error as Error).message,
      });
      throw error;
    }
  };
}
