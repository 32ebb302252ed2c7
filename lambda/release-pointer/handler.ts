/**
 * Custom resource, the last step of a deploy: after every file of the release is uploaded, move the live-release
 * pointer to it (or, where the environment deploys canaries and a release is already live, serve it as the canary
 * at the first step's weight), record the deploy in the audit trail, then prune old releases (never one in use).
 * A thin handler over lambda/shared/release-pointer and release-store.
 */
import { CloudFrontKeyValueStoreClient } from '@aws-sdk/client-cloudfront-keyvaluestore';
import { S3Client } from '@aws-sdk/client-s3';
import { appendAuditRecord } from '../shared/audit-log';
import {
  deleteReleases,
  listReleaseObjects,
  releaseExists,
  releasesToPrune,
  summarizeReleases,
} from '../shared/release-pointer';
import { updateReleaseState } from '../shared/release-store';

interface CustomResourceEvent {
  RequestType: 'Create' | 'Update' | 'Delete';
  ResponseURL: string;
  StackId: string;
  RequestId: string;
  LogicalResourceId: string;
  PhysicalResourceId?: string;
  ResourceProperties: {
    KvsArn: string;
    BucketName: string;
    ReleaseId: string;
    ReleasesToKeep: string;
    /** Percent of browsers a new release first serves as a canary; absent or '' for "live at once". */
    FirstCanaryWeight?: string;
    /** The audit bucket; absent: no record (tests of the pointer alone). */
    AuditBucket?: string;
    EnvName?: string;
    /** The CI run that synthesized this deploy, or that it ran outside CI. */
    DeployedBy?: string;
  };
}

/** One pointer per distribution: a stable id, so an update never looks like a replacement to CloudFormation. */
const PHYSICAL_ID = 'live-release-pointer';

const log = (message: string, fields: Record<string, unknown> = {}) =>
  console.log(JSON.stringify({ message, ...fields }));

export async function movePointer(
  props: CustomResourceEvent['ResourceProperties'],
  clients: { s3: S3Client; kvs: CloudFrontKeyValueStoreClient },
): Promise<{ pruned: string[] }> {
  const { BucketName: bucket, KvsArn: kvsArn, ReleaseId: release } = props;
  if (!(await releaseExists(clients.s3, bucket, release))) {
    throw new Error(`release ${release} has no index.html in the bucket; the pointer was not moved`);
  }
  const firstWeight = Number(props.FirstCanaryWeight || 0);
  const { before, change } = await updateReleaseState(clients.kvs, kvsArn, (state) => {
    if (state.live === release) return undefined;
    // The first release of an environment has nothing to be a canary beside: it goes live.
    if (firstWeight > 0 && state.live) return { canary: { release, weight: firstWeight } };
    return { live: release, ...(state.canary && { canary: null }) };
  });
  log(change?.canary ? 'canary started' : 'live release moved', { release, weight: change?.canary?.weight });
  if (change && props.AuditBucket && props.EnvName) {
    await appendAuditRecord(clients.s3, props.AuditBucket, {
      env: props.EnvName,
      action: 'deploy',
      who: props.DeployedBy ?? 'cloudformation',
      before: { live: before.live ?? null, canary: before.canary ?? null },
      after: {
        live: change.live ?? before.live ?? null,
        canary: change.canary === undefined ? (before.canary ?? null) : change.canary,
      },
      why: `deploy of release ${release}`,
    });
  }
  // A canary deploy leaves live where it was: that release is in use too, however old.
  const live = change?.live ?? before.live;
  const inUse = [release, live].filter((id): id is string => Boolean(id));
  const objects = await listReleaseObjects(clients.s3, bucket);
  const pruned = releasesToPrune(summarizeReleases(objects), inUse, Number(props.ReleasesToKeep));
  const deleted = await deleteReleases(clients.s3, bucket, pruned, objects);
  log('old releases pruned', { pruned, objectsDeleted: deleted });
  return { pruned };
}

async function respond(event: CustomResourceEvent, status: 'SUCCESS' | 'FAILED', reason?: string): Promise<void> {
  const body = JSON.stringify({
    Status: status,
    Reason: reason ?? 'see the function log',
    PhysicalResourceId: event.PhysicalResourceId ?? PHYSICAL_ID,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
  });
  const answer = await fetch(event.ResponseURL, {
    method: 'PUT',
    body,
    headers: { 'content-type': '' },
    signal: AbortSignal.timeout(10_000),
  });
  if (!answer.ok) throw new Error(`CloudFormation refused the response: ${answer.status}`);
}

export async function handler(event: CustomResourceEvent): Promise<void> {
  try {
    // Deleting the stack deletes the store; leaving the pointer on Delete keeps a rollback of this resource harmless.
    if (event.RequestType !== 'Delete')
      await movePointer(event.ResourceProperties, { s3: new S3Client({}), kvs: new CloudFrontKeyValueStoreClient({}) });
    await respond(event, 'SUCCESS');
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'unknown error';
    log('release pointer failed', { reason });
    await respond(event, 'FAILED', reason);
  }
}
