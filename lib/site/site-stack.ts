/**
 * Stateless: the CloudFront distribution in front of the release bucket, its headers, routing, WAF, certificate,
 * DNS, access logs and the releases it serves. The constructor is the list of steps; each concern is its own file.
 */
import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import type { DataStack } from '../data/data-stack';
import type { HealthStack } from '../health/health-stack';
import { SiteAccessLogs } from './access-logs';
import { SiteDistribution } from './distribution';
import { SiteDomain } from './domain';
import { ReleaseBucketPolicy } from './release-bucket-policy';
import { SiteRouting } from './routing';
import { securityHeaderSet } from './security-header-values';
import { SecurityHeaders } from './security-headers';
import { SiteWaf } from './waf';

export interface SiteStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  readonly data: DataStack;
  readonly health: HealthStack;
}

export class SiteStack extends Stack {
  readonly distribution: cloudfront.Distribution;
  readonly webAcl: wafv2.CfnWebACL;
  /** https://<domain> */
  readonly siteUrl: string;

  constructor(scope: Construct, id: string, props: SiteStackProps) {
    super(scope, id, props);
    const { config, data, health } = props;
    const envName = config.envName;
    this.siteUrl = `https://${config.domain.name}`;

    const domain = new SiteDomain(this, 'Domain', { domain: config.domain, certificate: config.certificate });
    const headers = new SecurityHeaders(this, 'SecurityHeaders', { envName, headerSet: securityHeaderSet(config) });
    const routing = new SiteRouting(this, 'Routing', { envName });
    this.webAcl = new SiteWaf(this, 'Waf', { envName, key: data.key, ...config.waf }).webAcl;
    this.distribution = new SiteDistribution(this, 'Site', {
      envName,
      siteBucket: data.siteBucket,
      healthUrl: health.healthUrl,
      headersPolicy: headers.policy,
      viewerRequest: routing.viewerRequest,
      domainName: domain.domainName,
      certificate: domain.certificate,
      webAclArn: this.webAcl.attrArn,
    }).distribution;
    new ReleaseBucketPolicy(this, 'ReleaseBucketPolicy', { bucket: data.siteBucket, distribution: this.distribution });
    new SiteAccessLogs(this, 'AccessLogs', { envName, distribution: this.distribution, logBucket: data.logBucket });
    domain.pointAt(this.distribution);

    new CfnOutput(this, 'SiteUrl', { value: this.siteUrl, description: 'The patient site' });
    new CfnOutput(this, 'DistributionId', { value: this.distribution.distributionId });
    new CfnOutput(this, 'ReleasePointerArn', { value: routing.releasePointer.keyValueStoreArn, description: 'KeyValueStore holding the live release id (scripts/rollback.ts)' });
    new CfnOutput(this, 'SiteBucketName', { value: data.siteBucket.bucketName, description: 'Release bucket (releases/<id>/, assets/)' });
  }
}
