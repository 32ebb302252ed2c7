/**
 * The error kinds seen per environment: one item per fingerprint with an `expiresAt` TTL, written only by the
 * collector's conditional PutItem (lambda/telemetry/novelty.ts), so two instances meeting a new error at once agree
 * on which saw it first. It holds hashes and release ids only, and losing it only makes kinds "new" again, so it
 * lives in this stateless stack without backups.
 */
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { NOVELTY_TABLE } from '../../lambda/telemetry/novelty';

/** By name, so the collector's settings hold a literal (a token would hide them from the preview and the tests). */
export function errorKindTableName(envName: string): string {
  return `miko-${envName}-client-error-kinds`;
}

export class ErrorKindTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: { envName: string }) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Table', {
      tableName: errorKindTableName(props.envName),
      partitionKey: { name: NOVELTY_TABLE.partitionKey, type: dynamodb.AttributeType.STRING },
      timeToLiveAttribute: NOVELTY_TABLE.ttlAttribute,
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const noBackups =
      'Holds fingerprints (hashes) and release ids only; losing it makes each kind "new" once more, which a backup would not be worth.';
    Validations.of(this.table).acknowledge(
      { id: 'AwsSolutions::AwsSolutions-DDB3', reason: noBackups },
      { id: 'HIPAA.Security::HIPAA.Security-DynamoDBPITREnabled', reason: noBackups },
      { id: 'HIPAA.Security::HIPAA.Security-DynamoDBInBackupPlan', reason: noBackups },
      { id: 'NIST.800.53.R5::NIST.800.53.R5-DynamoDBPITREnabled', reason: noBackups },
      { id: 'NIST.800.53.R5::NIST.800.53.R5-DynamoDBInBackupPlan', reason: noBackups },
    );
  }
}
