/**
 * Stateless: the first-party telemetry collector behind `/_telemetry/*` (CSP reports, Reporting API batches,
 * errors, web vitals). A Lambda function URL only the site's distribution may call (AWS_IAM via CloudFront's OAC;
 * the Site stack's Lambda@Edge hashes the body so browsers' POSTs can be signed), its KMS-encrypted event log, the
 * error-kind table and the saved queries.
 */
import { Duration, RemovalPolicy, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { join } from 'node:path';
import type { EnvironmentConfig } from '../config';
import type { DataStack } from '../data/data-stack';
import { PlatformFunction } from '../shared/platform-function';
import { SETTINGS_VARIABLE, CollectorSettings } from '../../lambda/telemetry/settings';
import { ErrorKindTable, errorKindTableName } from './error-kind-table';
import { TelemetryQueries } from './query-definitions';
import { VocabularyLayer } from './vocabulary-layer';

export interface TelemetryStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  readonly data: DataStack;
  /** The app build the Site stack releases: redaction keeps only its words and routes. */
  readonly appDist: string;
}

/** The store and the notifier are bounded well inside this; CloudFront's origin timeout is longer still. */
const COLLECTOR_TIMEOUT = Duration.seconds(5);
/** Per-call bounds: a hung DynamoDB or SNS costs a browser's beacon at most this, and the event is still logged. */
const STORE_TIMEOUT_MS = 400;
const NOTIFY_TIMEOUT_MS = 800;
/** A flood beyond the WAF's per-IP limit (many IPs) is capped here, so it cannot starve the account's other functions. */
const COLLECTOR_CONCURRENCY = 20;
/**
 * New-kind notices, counted in the store across all instances: enough to read after a bad deploy, few enough that
 * a flood of forged kinds cannot bury the inbox (at most 40 e-mails a day, each followed by one "cap reached").
 */
export const NOTICE_CAPS = { perMinute: 3, perRelease: 10, perDay: 40 } as const;
/**
 * Accepted events per minute for the whole environment: a practice's browsers send a few a minute, a flood is held
 * to this (what it costs: npm run cost). Over it, one request in 200 is still sampled.
 */
export const EVENT_BUDGET = { eventsPerMinute: 300, leaseEvents: 20, sampleOneIn: 200 } as const;

/** The log retentions CloudWatch accepts, by the days config may choose. */
const RETENTION: Record<EnvironmentConfig['telemetry']['logRetentionDays'], logs.RetentionDays> = {
  30: logs.RetentionDays.ONE_MONTH,
  60: logs.RetentionDays.TWO_MONTHS,
  90: logs.RetentionDays.THREE_MONTHS,
  180: logs.RetentionDays.SIX_MONTHS,
  365: logs.RetentionDays.ONE_YEAR,
};

/** The warning topic's ARN by its name (AlarmTopics): Monitoring deploys after this stack, so no reference. */
export function warningTopicArn(config: EnvironmentConfig): string {
  return `arn:aws:sns:${config.region}:${config.account}:miko-${config.envName}-warning`;
}

export class TelemetryStack extends Stack {
  readonly collectorFunction: lambda.Function;
  readonly collectorUrl: lambda.FunctionUrl;
  readonly eventLog: logs.ILogGroup;

  constructor(scope: Construct, id: string, props: TelemetryStackProps) {
    super(scope, id, props);
    const { config, data } = props;
    const kinds = new ErrorKindTable(this, 'ErrorKinds', { envName: config.envName });
    const settings: CollectorSettings = {
      envName: config.envName,
      siteOrigin: `https://${config.domain.name}`,
      maxBodyBytes: config.telemetry.maxBodyBytes,
      novelty: {
        tableName: errorKindTableName(config.envName),
        windowDays: config.telemetry.noveltyWindowDays,
        timeoutMs: STORE_TIMEOUT_MS,
        rememberKnownMs: 5 * 60_000,
      },
      budget: {
        ...EVENT_BUDGET,
        outageSharePerInstance: Math.ceil(EVENT_BUDGET.eventsPerMinute / COLLECTOR_CONCURRENCY),
      },
      notify: { topicArn: warningTopicArn(config), timeoutMs: NOTIFY_TIMEOUT_MS, caps: NOTICE_CAPS },
    };
    const collector = new PlatformFunction(this, 'Collector', {
      entry: join(__dirname, '..', '..', 'lambda', 'telemetry', 'handler.ts'),
      description: `MiKO ${config.envName}: /_telemetry/* (CSP reports, browser errors, web vitals)`,
      timeout: COLLECTOR_TIMEOUT,
      key: data.key,
      reservedConcurrentExecutions: COLLECTOR_CONCURRENCY,
      removalPolicy: RemovalPolicy.DESTROY,
      logRetention: RETENTION[config.telemetry.logRetentionDays],
      environment: { [SETTINGS_VARIABLE]: JSON.stringify(settings) },
      outsideVpcReason:
        'The collector writes to DynamoDB, SNS and its log group through public AWS endpoints; there is no private resource to reach.',
      noDeadLetterQueueReason:
        'Invoked synchronously through its function URL only; a lost beacon is retried by nobody and has no event to keep.',
    });
    collector.function.addLayers(new VocabularyLayer(this, 'Vocabulary', { appDist: props.appDist }).layer);
    // PutItem: a kind's first sighting; UpdateItem: the event budget's and the notice caps' counters.
    kinds.table.grant(collector.role, 'dynamodb:PutItem', 'dynamodb:UpdateItem');
    this.grantWarningNotices(collector, config, data);
    this.collectorFunction = collector.function;
    this.eventLog = collector.logGroup;
    this.collectorUrl = collector.function.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });
    new TelemetryQueries(this, 'Queries', { envName: config.envName, eventLog: collector.logGroup });
  }

  /** Publish to the warning topic only, encrypting through SNS with the platform key (its policy allows use via SNS). */
  private grantWarningNotices(collector: PlatformFunction, config: EnvironmentConfig, data: DataStack): void {
    collector.role.addToPolicy(
      new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [warningTopicArn(config)] }),
    );
    collector.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: [data.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `sns.${config.region}.amazonaws.com` } },
      }),
    );
    Validations.of(collector.role).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      reason: 'SNS asks for GenerateDataKey with varying suffixes; limited to the platform key and to use through SNS.',
    });
  }
}
