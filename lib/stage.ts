/**
 * One environment: its stacks and how they depend on each other.
 *
 *   Data (stateful) ──> Health ──> Telemetry ──> Site ──> Monitoring
 *        └──────────> Backups (nightly pg_dump into Data's vault, weekly restore drill)
 *
 * Data holds the key, secrets and buckets; the others are stateless and can be redeployed freely.
 * Construct ids are the stack names' suffixes: `Staging-Data`, `Production-Site`, …
 */
import { Stage, StageProps, Tags } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from './config';
import { BackupsStack } from './backups/backups-stack';
import { DataStack } from './data/data-stack';
import { HealthStack } from './health/health-stack';
import { MonitoringStack } from './monitoring/monitoring-stack';
import { siteEndpointsOf } from './monitoring/site-endpoints';
import { APP_DIST, SiteStack } from './site/site-stack';
import { TelemetryStack } from './telemetry/telemetry-stack';

export const PROJECT_TAG = 'miko-patient-platform';

export interface MikoStageProps extends StageProps {
  readonly config: EnvironmentConfig;
  /** The SPA build to release. @default APP_DIST (app-dist/) */
  readonly appDist?: string;
}

export class MikoStage extends Stage {
  readonly data: DataStack;
  readonly health: HealthStack;
  readonly telemetry: TelemetryStack;
  readonly site: SiteStack;
  readonly monitoring: MonitoringStack;
  readonly backups: BackupsStack;

  constructor(scope: Construct, id: string, props: MikoStageProps) {
    const { config } = props;
    super(scope, id, { ...props, env: { account: config.account, region: config.region } });

    const describe = (what: string) => `MiKO patient platform, ${config.envName}: ${what}`;
    this.data = new DataStack(this, 'Data', {
      config,
      description: describe('stateful resources (key, secrets, buckets)'),
    });
    this.health = new HealthStack(this, 'Health', { config, data: this.data, description: describe('health API') });
    this.telemetry = new TelemetryStack(this, 'Telemetry', {
      config,
      data: this.data,
      appDist: props.appDist ?? APP_DIST,
      description: describe('client telemetry collector (CSP reports, browser errors, web vitals)'),
    });
    this.site = new SiteStack(this, 'Site', {
      config,
      data: this.data,
      health: this.health,
      telemetry: this.telemetry,
      appDist: props.appDist,
      description: describe('CloudFront site'),
    });
    this.monitoring = new MonitoringStack(this, 'Monitoring', {
      config,
      data: this.data,
      health: this.health,
      telemetry: this.telemetry,
      site: siteEndpointsOf(this.site, config.domain.name),
      description: describe('prober, alarms, paging and dashboard'),
    });
    this.backups = new BackupsStack(this, 'Backups', {
      config,
      data: this.data,
      description: describe('nightly database backup and restore drill'),
    });
    // The graph is explicit so deploy order holds even before a stack references the one before it.
    this.health.addStackDependency(this.data);
    this.telemetry.addStackDependency(this.health);
    this.site.addStackDependency(this.telemetry);
    this.monitoring.addStackDependency(this.site);
    this.backups.addStackDependency(this.data);

    tagEnvironment(this, config);
  }
}

/** Tags every resource under `scope` with its environment, project and cost centre (billing and access rules use them). */
export function tagEnvironment(scope: Construct, config: EnvironmentConfig): void {
  Tags.of(scope).add('Environment', config.envName);
  Tags.of(scope).add('Project', PROJECT_TAG);
  Tags.of(scope).add('CostCentre', config.costCentre);
}
