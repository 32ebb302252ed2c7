/**
 * Where access logs are delivered (access-logs.ts; the log bucket in the Data stack): CloudFront's logging v2
 * through the Logs delivery service, and S3 server access logs of the site and backup buckets.
 */
import { PathCatalogue, resource, service } from '../shared/runtime-paths';

const logObject = (prefix: string) =>
  resource('Data', 'SiteStorageLogBucket', { suffix: `/${prefix}/2026-01-01-00-00-00-0123` });

export const catalogue: PathCatalogue = {
  paths: [
    {
      id: 'cloudfront-logs-delivered',
      what: "the Logs delivery service writes the distribution's access logs to the log bucket",
      principal: service(
        'delivery.logs.amazonaws.com',
        'arn:aws:logs:{region}:{account}:delivery-source:miko-{env}-site',
      ),
      actions: ['s3:PutObject'],
      resource: logObject('cloudfront'),
      context: { 's3:x-amz-acl': 'bucket-owner-full-control' },
    },
    {
      id: 'site-bucket-access-logged',
      what: "S3 writes the site bucket's server access logs to the log bucket",
      principal: service('logging.s3.amazonaws.com', 'arn:aws:s3:::miko-{env}-site-{account}'),
      actions: ['s3:PutObject'],
      resource: logObject('s3'),
    },
    {
      id: 'vault-access-logged',
      what: "S3 writes the backup vault's server access logs to the log bucket",
      principal: service('logging.s3.amazonaws.com', 'arn:aws:s3:::miko-{env}-backups-{account}'),
      actions: ['s3:PutObject'],
      resource: logObject('s3-backups'),
    },
  ],
};
