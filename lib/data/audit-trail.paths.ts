/**
 * The audit trail (audit-trail.ts): S3 logs each access to it in the log bucket, and records are only ever added. No role of the environment but CloudFormation's
 * execution role (which manages the bucket) may delete a record or touch its lock, and Object Lock in compliance
 * mode refuses even that role until the retention ends (service-side: only a real account shows it).
 */
import { OBJECT_TAMPER_ACTIONS, PathCatalogue, resource, service } from '../shared/runtime-paths';
import { auditRecord } from './audit-grants.paths';

export const catalogue: PathCatalogue = {
  paths: [
    {
      id: 'audit-trail-access-logged',
      what: "S3 writes the audit trail's server access logs to the log bucket",
      principal: service('logging.s3.amazonaws.com', 'arn:aws:s3:::miko-{env}-audit-{account}'),
      actions: ['s3:PutObject'],
      resource: resource('Data', 'SiteStorageLogBucket', { suffix: '/s3-audit/2026-01-01-00-00-00-0123' }),
    },
  ],
  forbidden: [
    {
      id: 'nobody-deletes-an-audit-record',
      what: 'no role but CloudFormation execution role can delete an audit record, or shorten or bypass its lock',
      principal: { everyRole: true, except: ['bootstrap/CloudFormationExecutionRole'] },
      actions: OBJECT_TAMPER_ACTIONS,
      resource: auditRecord,
    },
    {
      id: 'nobody-overwrites-an-audit-record',
      what: "no principal of the account can write a record without If-None-Match (the bucket policy's deny)",
      principal: { everyRole: true },
      actions: ['s3:PutObject'],
      resource: auditRecord,
      context: { 's3:ObjectCreationOperation': 'true' },
    },
  ],
};
