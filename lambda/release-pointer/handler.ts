/**
 * Custom resource, the last step of a deploy: after every file of the release is uploaded, move the live-release
 * pointer to it, then prune old releases (never the live one). A thin handler over lambda/shared/release-pointer.
 */
import { CloudFrontKeyValueStoreClient } from '@aws-sdk/client-cloudfront-keyvaluestore';
import { S3Client } from '@aws-sdk/client-s3';
import {
  deleteReleases,
  listReleaseObjects,
  releaseExists,
  releasesToPrune,
  setLiveRelease,
  summarizeReleases,
} from '../shared/release-pointer';

interface CustomResourceEvent {
  RequestType: 'Create' | 'Update' | 'Delete';
  ResponseURL: string;
  StackId: string;
  RequestId: string;
  LogicalResourceId: string;
  PhysicalResourceId?: string;
  ResourceProperties: { KvsArn: string; BucketName: string; ReleaseId: string; ReleasesToKeep: string };
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
  await setLiveRelease(clients.kvs, kvsArn, release);
  log('live release moved', { release });
  const objects = await listReleaseObjects(clients.s3, bucket);
  const pruned = releasesToPrune(summarizeReleases(objects), release, Number(props.ReleasesToKeep));
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
