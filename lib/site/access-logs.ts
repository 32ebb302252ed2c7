/**
 * CloudFront standard logging (v2) into the log bucket, with the fields chosen so that nothing a patient typed
 * is kept: no query string, no cookie, no Referer (a Referer carries the full URL of the page, query included).
 * Legacy logging has no field selection, which is why v2 is used.
 */
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Enough to investigate an outage, a slow edge or abuse from an IP; nothing that identifies what a patient did. */
export const CLOUDFRONT_LOG_FIELDS = [
  'date',
  'time',
  'x-edge-location',
  'c-ip',
  'cs-method',
  'cs(Host)',
  'cs-uri-stem',
  'sc-status',
  'sc-bytes',
  'time-taken',
  'x-edge-result-type',
  'x-edge-response-result-type',
  'x-edge-detailed-result-type',
  'x-edge-request-id',
  'cs-protocol',
  'cs-protocol-version',
  'ssl-protocol',
  'ssl-cipher',
  'time-to-first-byte',
  'sc-content-type',
  'cs(User-Agent)',
] as const;

export class SiteAccessLogs extends Construct {
  constructor(
    scope: Construct,
    id: string,
    props: { envName: string; distribution: cloudfront.IDistribution; logBucket: s3.IBucket },
  ) {
    super(scope, id);
    const stack = props.distribution.stack;
    const source = new logs.CfnDeliverySource(this, 'Source', {
      name: `miko-${props.envName}-site-access`,
      logType: 'ACCESS_LOGS',
      resourceArn: stack.formatArn({
        service: 'cloudfront',
        region: '',
        resource: 'distribution',
        resourceName: props.distribution.distributionId,
      }),
    });
    const destination = new logs.CfnDeliveryDestination(this, 'Destination', {
      name: `miko-${props.envName}-site-access-s3`,
      destinationResourceArn: `${props.logBucket.bucketArn}/cloudfront`,
      outputFormat: 'parquet',
    });
    const delivery = new logs.CfnDelivery(this, 'Delivery', {
      deliverySourceName: source.name,
      deliveryDestinationArn: destination.attrArn,
      recordFields: [...CLOUDFRONT_LOG_FIELDS],
    });
    delivery.addResourceDependency(source);
  }
}
