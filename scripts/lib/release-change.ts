/**
 * One change of what patients get, made the same way by every command: read the store, decide, write it
 * conditionally, then append the audit record (who, before → after, why). The change stands even when the record
 * cannot be written (a rollback must never wait on the trail); the command then says so loudly and exits 4.
 */
import { AuditAction } from '../../lambda/shared/audit-log';
import { recordChange } from './audit-record';
import { ReleaseState, ReleaseStateChange, updateReleaseState } from '../../lambda/shared/release-store';
import type { EnvironmentName } from '../../lib/config';
import type { ReleaseClients, SiteOutputs } from './release-aws';

export interface ChangeRequest {
  readonly env: EnvironmentName;
  readonly action: AuditAction;
  readonly who: string;
  readonly why: string;
  /** Returns undefined for "nothing to change" (no write, no record). */
  readonly decide: (state: ReleaseState) => ReleaseStateChange | undefined;
}

export interface ChangeResult {
  readonly before: ReleaseState;
  readonly change?: ReleaseStateChange;
  /** False when the change was made but the audit record could not be written. */
  readonly recorded: boolean;
}

/** What a record shows of the state: only what a change touches. */
function shown(state: ReleaseState, change: ReleaseStateChange): Record<string, unknown> {
  return {
    ...(change.live !== undefined && { live: state.live ?? null }),
    ...(change.canary !== undefined && { canary: state.canary ?? null }),
    ...(change.flags !== undefined && { flags: state.flags }),
  };
}

export async function changeReleaseState(
  clients: ReleaseClients,
  outputs: SiteOutputs,
  request: ChangeRequest,
  printError: (line: string) => void,
): Promise<ChangeResult> {
  const { before, change } = await updateReleaseState(clients.kvs, outputs.kvsArn, request.decide);
  if (!change) return { before, recorded: true };
  const after = { ...shown(before, change), ...change };
  const recorded = await recordChange(
    clients.s3,
    outputs.auditBucket,
    {
      env: request.env,
      action: request.action,
      who: request.who,
      before: shown(before, change),
      after: JSON.parse(JSON.stringify(after)),
      why: request.why,
    },
    printError,
  );
  return { before, change, recorded };
}
