/**
 * The site's name: a DNS-validated ACM certificate in the configured hosted zone (or an imported one, which the
 * config rules require to be in us-east-1), and A/AAAA alias records to the distribution.
 */
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';

export interface SiteDomainProps {
  readonly domain: EnvironmentConfig['domain'];
  readonly certificate: EnvironmentConfig['certificate'];
}

export class SiteDomain extends Construct {
  readonly domainName: string;
  readonly hostedZone: route53.IHostedZone;
  readonly certificate: acm.ICertificate;

  constructor(scope: Construct, id: string, props: SiteDomainProps) {
    super(scope, id);
    this.domainName = props.domain.name;
    // Attributes, never a lookup: synth stays offline and needs no credentials.
    this.hostedZone = route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', {
      hostedZoneId: props.domain.hostedZone.id,
      zoneName: props.domain.hostedZone.name,
    });
    this.certificate =
      props.certificate.mode === 'import'
        ? acm.Certificate.fromCertificateArn(this, 'Certificate', props.certificate.arn)
        : new acm.Certificate(this, 'Certificate', {
            domainName: props.domain.name,
            validation: acm.CertificateValidation.fromDns(this.hostedZone),
          });
  }

  /** A and AAAA alias records pointing the name at the distribution (IPv4 and IPv6). */
  pointAt(distribution: cloudfront.IDistribution): void {
    const target = route53.RecordTarget.fromAlias(new targets.CloudFrontTarget(distribution));
    new route53.ARecord(this, 'AliasIpv4', { zone: this.hostedZone, recordName: this.domainName, target });
    new route53.AaaaRecord(this, 'AliasIpv6', { zone: this.hostedZone, recordName: this.domainName, target });
  }
}
