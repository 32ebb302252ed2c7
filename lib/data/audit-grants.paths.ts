/**
 * What a writer of the audit trail does (audit-grants.ts, and the CI roles' own statements): list its
 * environment's records, read the newest to chain to it, and add one with If-None-Match (S3 uses the platform key
 * on its behalf: derived). A construct whose role appends spreads `auditAppendPaths(…)` and `auditTamperPaths(…)`.
 */
import {
  ForbiddenPath,
  OBJECT_TAMPER_ACTIONS,
  PathCatalogue,
  PrincipalSpec,
  RuntimePath,
} from '../shared/runtime-paths';

const trail = 'arn:aws:s3:::miko-{env}-audit-{account}';
/** A record as lambda/shared/audit-log.ts names it: `audit/<env>/<at>-<hash>.json`. */
export const auditRecord = `${trail}/audit/{env}/2026-01-01T03:15:00.000Z-0123456789ab.json`;

const recordWildcard =
  "records are new keys named by time and hash as they are written; the writer lists, reads and adds only under its environment's audit/<env>/ prefix.";

export interface AuditPathOptions {
  readonly optional?: boolean;
  /** Why another statement the appends use (the key leg) has a wildcard, added to the record's reason. */
  readonly extraWildcardReason?: string;
}

export function auditAppendPaths(
  prefix: string,
  principal: PrincipalSpec,
  { optional = false, extraWildcardReason }: AuditPathOptions = {},
): RuntimePath[] {
  const wildcardReason = extraWildcardReason ? `${recordWildcard} ${extraWildcardReason}` : recordWildcard;
  return [
    {
      id: `${prefix}-lists-audit-trail`,
      what: `the ${prefix} lists this environment's audit records to find the newest`,
      principal,
      actions: ['s3:ListBucket'],
      resource: trail,
      context: { 's3:prefix': 'audit/{env}/' },
      optional,
    },
    {
      id: `${prefix}-appends-audit-record`,
      what: `the ${prefix} reads the newest record and adds one that chains to it, written once (If-None-Match)`,
      principal,
      actions: ['s3:GetObject', 's3:PutObject'],
      resource: auditRecord,
      context: { 's3:if-none-match': '*' },
      wildcardReason,
      optional,
    },
  ];
}

/** A writer can add a record and nothing else: no delete, no overwrite, no change of the lock or the bucket's rules. */
export function auditTamperPaths(prefix: string, principal: PrincipalSpec, optional = false): ForbiddenPath[] {
  return [
    {
      id: `${prefix}-deletes-no-audit-record`,
      what: `the ${prefix} cannot delete an audit record, shorten or lift its lock`,
      principal,
      actions: OBJECT_TAMPER_ACTIONS,
      resource: auditRecord,
      optional,
    },
    {
      id: `${prefix}-overwrites-no-audit-record`,
      what: `the ${prefix} cannot write a record unconditionally (a put without If-None-Match could replace one)`,
      principal,
      actions: ['s3:PutObject'],
      resource: auditRecord,
      context: { 's3:ObjectCreationOperation': 'true' },
      optional,
    },
    {
      id: `${prefix}-changes-no-audit-rules`,
      what: `the ${prefix} cannot change the trail's lock, versioning, lifecycle or policy`,
      principal,
      actions: [
        's3:PutBucketObjectLockConfiguration',
        's3:PutBucketVersioning',
        's3:PutLifecycleConfiguration',
        's3:PutBucketPolicy',
        's3:DeleteBucketPolicy',
      ],
      resource: trail,
      optional,
    },
  ];
}

export const catalogue: PathCatalogue = { paths: [] };
