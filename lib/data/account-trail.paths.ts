/**
 * The optional CloudTrail trail (account-trail.ts), present only with `audit.cloudTrail`: CloudTrail checks the
 * bucket's ACL, writes log files under AWSLogs/<account>/, and encrypts them with the platform key; S3 logs each
 * access to the bucket. Another account's trail can do none of it (the policies name this trail).
 */
import { OBJECT_TAMPER_ACTIONS, PathCatalogue, resource, service } from '../shared/runtime-paths';

const optional = true;
const thisTrail = 'arn:aws:cloudtrail:{region}:{account}:trail/miko-{env}-trail';
// Named by reference, so every path is absent (shown, not run) where config leaves the trail out.
const cloudTrail = service('cloudtrail.amazonaws.com', resource('Data', 'AccountTrail'));
const logFile = resource('Data', 'AccountTrailBucket', {
  suffix:
    '/AWSLogs/{account}/CloudTrail/us-east-1/2026/01/01/{account}_CloudTrail_us-east-1_20260101T0000Z_abc.json.gz',
});

export const catalogue: PathCatalogue = {
  paths: [
    {
      id: 'cloudtrail-checks-bucket-acl',
      what: "CloudTrail reads the trail bucket's ACL before it delivers",
      principal: cloudTrail,
      actions: ['s3:GetBucketAcl'],
      resource: resource('Data', 'AccountTrailBucket'),
      optional,
    },
    {
      id: 'cloudtrail-writes-log-files',
      what: 'CloudTrail writes its log files (and hourly digests) under AWSLogs/<account>/, owned by the bucket owner',
      principal: cloudTrail,
      actions: ['s3:PutObject'],
      resource: logFile,
      // CloudTrail encrypts each file itself; the key leg derived for this write carries the trail's context.
      context: { 's3:x-amz-acl': 'bucket-owner-full-control', 'kms:EncryptionContext:aws:cloudtrail:arn': thisTrail },
      optional,
    },
    {
      id: 'cloudtrail-encrypts-log-files',
      what: 'CloudTrail asks the platform key for a data key per log file, in the context of this trail',
      principal: cloudTrail,
      actions: ['kms:GenerateDataKey'],
      resource: resource('Data', 'PlatformKey'),
      context: { 'kms:EncryptionContext:aws:cloudtrail:arn': thisTrail },
      wildcardReason:
        'CloudTrail calls GenerateDataKey with varying suffixes (kms:GenerateDataKey*); this trail only (aws:SourceArn), this account’s trails only (encryption context).',
      optional,
    },
    {
      id: 'cloudtrail-describes-key',
      what: 'CloudTrail describes the platform key when the trail is created or updated',
      principal: cloudTrail,
      actions: ['kms:DescribeKey'],
      resource: resource('Data', 'PlatformKey'),
      optional,
    },
    {
      id: 'cloudtrail-bucket-access-logged',
      what: "S3 writes the trail bucket's server access logs to the log bucket",
      principal: service('logging.s3.amazonaws.com', resource('Data', 'AccountTrailBucket')),
      actions: ['s3:PutObject'],
      resource: resource('Data', 'SiteStorageLogBucket', { suffix: '/s3-cloudtrail/2026-01-01-00-00-00-0123' }),
      optional,
    },
  ],
  forbidden: [
    {
      id: 'another-trail-writes-no-log-file',
      what: "another account's trail cannot write into the trail bucket (confused deputy)",
      principal: service('cloudtrail.amazonaws.com', 'arn:aws:cloudtrail:us-east-1:999999999999:trail/other'),
      actions: ['s3:PutObject'],
      resource: logFile,
      context: { 's3:x-amz-acl': 'bucket-owner-full-control' },
      optional,
    },
    {
      id: 'another-trail-uses-no-key',
      what: "another account's trail cannot use the platform key",
      principal: service('cloudtrail.amazonaws.com', 'arn:aws:cloudtrail:us-east-1:999999999999:trail/other'),
      actions: ['kms:GenerateDataKey', 'kms:DescribeKey'],
      resource: resource('Data', 'PlatformKey'),
      optional,
    },
    {
      id: 'nobody-deletes-a-trail-log-file',
      what: 'no role but CloudFormation execution role can delete a log file, or shorten or bypass its lock',
      principal: { everyRole: true, except: ['bootstrap/CloudFormationExecutionRole'] },
      actions: OBJECT_TAMPER_ACTIONS,
      resource: logFile,
      optional,
    },
  ],
};
