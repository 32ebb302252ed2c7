/**
 * Stateless: the CloudFront distribution in front of the release bucket, its headers, routing, WAF, certificate,
 * DNS, access logs and the releases it serves. The constructor is the list of steps; each concern is its own file.
 */
import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { join } from 'node:path';
import type { EnvironmentConfig } from '../config';
import { flagDefaults } from '../config/flags';
import { auditBucketName } from '../data/audit-trail';
import type { DataStack } from '../data/data-stack';
import type { HealthStack } from '../health/health-stack';
import type { TelemetryStack } from '../telemetry/telemetry-stack';
import { PayloadHasher } from '../telemetry/payload-hasher';
import { SiteAccessLogs } from './access-logs';
import { SiteDistribution } from './distribution';
import { SiteDomain } from './domain';
import { ReleaseBucketPolicy } from './release-bucket-policy';
import { SiteReleases } from './releases';
import { resolveReleaseId, runtimeConfig } from './release-content';
import { SiteRouting } from './routing';
import { siteSecurityHeaderSet } from './security-header-values';
import { SecurityHeaders } from './security-headers';
import { siteBucketName } from './storage';
import { SiteWaf } from './waf';

/** The SPA build the app's CI drops in; a small sample is committed. */
export const APP_DIST = join(__dirname, '..', '..', 'app-dist');

export interface SiteStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  readonly data: DataStack;
  readonly health: HealthStack;
  readonly telemetry: TelemetryStack;
  /** The build to release. @default APP_DIST */
  readonly appDist?: string;
}

export class SiteStack extends Stack {
  readonly distribution: cloudfront.Distribution;
  readonly webAcl: wafv2.CfnWebACL;
  /** https://<domain> */
  readonly siteUrl: string;
  /** The KeyValueStore the routing functions read (live, canary, flags). */
  readonly releaseStoreArn: string;

  constructor(scope: Construct, id: string, props: SiteStackProps) {
    super(scope, id, props);
    const { config, data, health } = props;
    const envName = config.envName;
    this.siteUrl = `https://${config.domain.name}`;

    // By name (see storage.ts): the bucket's policy is written here, and grants read the same in every synth.
    const siteBucket = s3.Bucket.fromBucketAttributes(this, 'ReleaseBucket', {
      bucketName: siteBucketName(envName, config.account),
      region: config.region,
    });

    const domain = new SiteDomain(this, 'Domain', { domain: config.domain, certificate: config.certificate });
    const headers = new SecurityHeaders(this, 'SecurityHeaders', { envName, headerSet: siteSecurityHeaderSet(config) });
    const routing = new SiteRouting(this, 'Routing', { envName, flagDefaults: flagDefaults(config) });
    this.releaseStoreArn = routing.releasePointer.keyValueStoreArn;
    this.webAcl = new SiteWaf(this, 'Waf', {
      envName,
      key: data.key,
      ...config.waf,
      telemetryRateLimitPer5Minutes: config.telemetry.rateLimitPer5Minutes,
      telemetryTotalRateLimitPer5Minutes: config.telemetry.totalRateLimitPer5Minutes,
    }).webAcl;
    this.distribution = new SiteDistribution(this, 'Site', {
      envName,
      siteBucket,
      healthUrl: health.healthUrl,
      // The edge function lives here, beside its only user: a version ARN exported from another stack could not
      // change while imported, so every change to its code would fail the deploy.
      telemetry: {
        collectorUrl: props.telemetry.collectorUrl,
        payloadHasher: new PayloadHasher(this, 'TelemetryPayloadHasher', {
          envName,
          key: data.key,
          maxBodyBytes: config.telemetry.maxBodyBytes,
        }).version,
      },
      headersPolicy: headers.policy,
      viewerRequest: routing.viewerRequest,
      viewerResponse: routing.viewerResponse,
      domainName: domain.domainName,
      certificate: domain.certificate,
      webAclArn: this.webAcl.attrArn,
    }).distribution;
    new ReleaseBucketPolicy(this, 'ReleaseBucketPolicy', { bucket: siteBucket, distribution: this.distribution });
    new SiteAccessLogs(this, 'AccessLogs', { envName, distribution: this.distribution, logBucket: data.logBucket });
    domain.pointAt(this.distribution);
    const appDist = props.appDist ?? APP_DIST;
    const releaseId = resolveReleaseId({
      context: this.node.tryGetContext('release'),
      env: process.env.MIKO_RELEASE,
      appDist,
      runtimeConfigFingerprint: JSON.stringify(runtimeConfig({ config, release: '' })),
    });
    const auditBucket = s3.Bucket.fromBucketName(this, 'AuditBucket', auditBucketName(envName, config.account));
    new SiteReleases(this, 'Releases', {
      config,
      auditBucket,
      appDist,
      releaseId,
      bucket: siteBucket,
      releasePointer: routing.releasePointer,
      key: data.key,
      buildEnv: process.env,
    });

    new CfnOutput(this, 'SiteUrl', { value: this.siteUrl, description: 'The patient site' });
    new CfnOutput(this, 'DistributionId', { value: this.distribution.distributionId });
    new CfnOutput(this, 'ReleasePointerArn', {
      value: routing.releasePointer.keyValueStoreArn,
      description: 'KeyValueStore holding the live release id (scripts/rollback.ts)',
    });
    new CfnOutput(this, 'ReleaseId', { value: releaseId, description: 'The release this deploy made live' });
    new CfnOutput(this, 'AuditBucketName', {
      value: auditBucket.bucketName,
      description: 'Audit trail of every change of what patients get (npm run audit)',
    });
    new CfnOutput(this, 'SiteBucketName', {
      value: siteBucket.bucketName,
      description: 'Release bucket (releases/<id>/, assets/)',
    });
  }
}
