/**
 * Stateless: the synthetic prober, the Route53 health check, the alarms, the paging topics and the dashboard.
 * Reads the site through explicit `site` endpoints (ids and names), never through SiteStack's internals.
 */
import { Stack, StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import type { DataStack } from '../data/data-stack';
import type { HealthStack } from '../health/health-stack';
import type { TelemetryStack } from '../telemetry/telemetry-stack';
import { clientAlarms } from './client-alarms';
import { clientTelemetryWidgets } from './client-telemetry-widgets';
import { alarmCatalogue } from './alarm-catalogue';
import { AppMetricsPublisher } from './app-metrics-publisher';
import { AlarmTopics } from './alarm-topics';
import { PlatformDashboard } from './dashboard';
import { createPlatformAlarm } from './platform-alarm';
import { SiteHealthCheck } from './route53-health-check';
import type { SiteEndpoints } from './site-endpoints';
import { KeyTamperAlert } from './key-tamper-alert';
import { SyntheticProber } from './synthetic-prober';
import { CanaryAbort } from './canary-abort';
import { auditBucketName } from '../data/audit-trail';
import { RotationAlerts } from '../secrets/rotation-alerts';
import { backupAlarmSpecs } from '../backups/backup-alarms';

export interface MonitoringStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  readonly data: DataStack;
  readonly health: HealthStack;
  readonly telemetry: TelemetryStack;
  /** The site's URL, domain, distribution id and web ACL name (see SiteEndpoints). */
  readonly site: SiteEndpoints;
}

export class MonitoringStack extends Stack {
  readonly topics: AlarmTopics;
  readonly prober: SyntheticProber;
  readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id, props);
    const { config, site } = props;
    const envName = config.envName;

    this.topics = new AlarmTopics(this, 'Topics', {
      envName,
      alarms: config.alarms,
      key: props.data.key,
      runbookBaseUrl: `https://github.com/${config.delivery.githubRepository}/blob/main/`,
    });
    this.prober = new SyntheticProber(this, 'Synthetics', {
      envName,
      siteUrl: site.siteUrl,
      key: props.data.key,
      probeCanary: config.site.canary !== null,
    });
    new AppMetricsPublisher(this, 'AppMetricsPublisher', { envName });
    const route53 = new SiteHealthCheck(this, 'SiteHealthCheck', { envName, domainName: site.domainName });

    const functions = {
      health: props.health.healthFunction,
      prober: this.prober.function,
      telemetry: props.telemetry.collectorFunction,
    };
    this.alarms = alarmCatalogue({ envName, site, route53HealthCheckId: route53.healthCheckId, functions }).map(
      (spec) => createPlatformAlarm(this, envName, this.topics, spec),
    );
    this.alarms.push(
      ...clientAlarms(envName, config.telemetry).map((spec) => createPlatformAlarm(this, envName, this.topics, spec)),
    );
    // The backups' metrics are named, not referenced: Monitoring does not depend on the Backups stack.
    const backupAlarms = backupAlarmSpecs(envName).map((spec) => createPlatformAlarm(this, envName, this.topics, spec));
    this.alarms.push(...backupAlarms);
    // Only where deploys go out as canaries: a manual canary elsewhere (npm run release) is watched by its operator.
    if (config.site.canary) {
      const canary = new CanaryAbort(this, 'CanaryAbort', {
        envName,
        topics: this.topics,
        key: props.data.key,
        releaseStoreArn: site.releaseStoreArn,
        // By name (audit-trail.ts): a plain string, so the grant and its acknowledgment need no cross-stack export.
        auditBucket: s3.Bucket.fromBucketName(this, 'AuditBucket', auditBucketName(envName, config.account)),
      });
      this.alarms.push(...canary.alarms);
    }

    // Here, not in Data: the alarms' actions name these topics, and Data must not depend on Monitoring.
    const rotationAlerts = new RotationAlerts(this, 'RotationAlerts', {
      envName,
      secrets: props.data.secrets,
      key: props.data.key,
      topics: this.topics,
    });
    new KeyTamperAlert(this, 'KeyTamperAlert', { envName, key: props.data.key, criticalTopic: this.topics.critical });
    const rotationFunctions = Object.fromEntries(
      props.data.secrets.secrets
        .filter((s) => s.rotationFunction !== undefined)
        .map((s) => [s.id, s.rotationFunction!.function]),
    );

    const dashboard = new PlatformDashboard(this, 'Dashboard', {
      envName,
      site,
      dependencyChecks: config.health.checks.map((c) => c.name),
      functions,
      rotationFunctions,
      alarms: [
        ...this.alarms,
        ...rotationAlerts.rotationErrorAlarms,
        rotationAlerts.staleSecretsAlarm,
        rotationAlerts.unrecordedRotationAlarm,
        this.topics.deadLettersAlarm,
      ],
      route53HealthCheckId: route53.healthCheckId,
      proberLogGroup: this.prober.function.logGroup,
      backups: true,
    });
    clientTelemetryWidgets(envName, props.telemetry.eventLog.logGroupName).forEach((row) =>
      dashboard.dashboard.addWidgets(...row),
    );
  }
}
