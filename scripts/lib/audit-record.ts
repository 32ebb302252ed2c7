/**
 * Appending one audit record after a change has been made (lambda/shared/audit-log.ts). The change stands even when
 * the record cannot be written (a fix must never wait on the trail); the caller is told, says so loudly and exits
 * NOT_RECORDED_EXIT.
 */
import { appendAuditRecord, AuditEntry } from '../../lambda/shared/audit-log';
import type { EnvironmentName } from '../../lib/config';
import { ReleaseClients, clientsFrom, siteOutputs } from './release-aws';

/** The exit code of every command whose change was made but not recorded. */
export const NOT_RECORDED_EXIT = 4;

/** Appends the record; on failure prints "NOT RECORDED …" with the fix and returns false. */
export async function recordChange(
  s3: ReleaseClients['s3'],
  auditBucket: string | undefined,
  entry: AuditEntry,
  printError: (line: string) => void,
): Promise<boolean> {
  if (!auditBucket) {
    printError(
      `NOT RECORDED: the change was made, but the Site stack names no audit bucket (AuditBucketName). Fix: deploy the Data and Site stacks of ${entry.env}.`,
    );
    return false;
  }
  try {
    await appendAuditRecord(s3, auditBucket, entry);
    return true;
  } catch (error) {
    printError(
      `NOT RECORDED: the change was made, but the audit record could not be written (${(error as Error).message}). Fix: write it by hand with the same who/what/why before anything else changes.`,
    );
    return false;
  }
}

/** For commands that change no release state (rotate, restore): finds the audit bucket in the Site stack's outputs. */
export async function recordOperatorChange(
  entry: AuditEntry & { readonly env: EnvironmentName },
  printError: (line: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): Promise<boolean> {
  const clients = clientsFrom(env);
  try {
    const outputs = await siteOutputs(clients.cloudFormation, entry.env).catch((error: Error) => {
      printError(
        `NOT RECORDED: the change was made, but the audit bucket could not be found (${error.message}). Fix: write the record by hand with the same who/what/why before anything else changes.`,
      );
      return undefined;
    });
    return outputs !== undefined && (await recordChange(clients.s3, outputs.auditBucket, entry, printError));
  } finally {
    clients.cloudFormation.destroy();
    clients.s3.destroy();
    clients.kvs.destroy();
  }
}
