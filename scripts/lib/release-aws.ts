/**
 * The AWS clients and names every release-control command uses (rollback, release, flag, audit): the Site stack's
 * outputs say where the store, the release bucket and the audit bucket are. The SDK's AWS_ENDPOINT_URL (or
 * AWS_ENDPOINT_URL_S3, _CLOUDFORMATION, _CLOUDFRONT_KEYVALUESTORE) points the clients at local stand-ins (the
 * preview's, the tests').
 */
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CloudFrontKeyValueStoreClient } from '@aws-sdk/client-cloudfront-keyvaluestore';
import { S3Client } from '@aws-sdk/client-s3';
import { userInfo } from 'node:os';
import { actorFrom } from '../../lambda/shared/audit-log';
import { EnvironmentName, REQUIRED_REGION } from '../../lib/config';
import { STAGE_IDS } from '../../lib/stage-ids';
import { endpointFor } from './aws-access';

export interface ReleaseClients {
  readonly cloudFormation: CloudFormationClient;
  readonly s3: S3Client;
  readonly kvs: CloudFrontKeyValueStoreClient;
}

/** Every AWS call of a release command is bounded, so a hung endpoint fails the command instead of hanging a terminal. */
const REQUEST_TIMEOUT_MS = 10_000;

export function clientsFrom(env: NodeJS.ProcessEnv): ReleaseClients {
  const credentials =
    env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
      ? {
          accessKeyId: env.AWS_ACCESS_KEY_ID,
          secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
          sessionToken: env.AWS_SESSION_TOKEN,
        }
      : undefined;
  const timeout = Number(env.MIKO_AWS_TIMEOUT_MS) || REQUEST_TIMEOUT_MS;
  const common = {
    region: REQUIRED_REGION,
    credentials,
    maxAttempts: 2,
    requestHandler: { requestTimeout: timeout, connectionTimeout: timeout, throwOnRequestTimeout: true },
  };
  const s3Endpoint = endpointFor('S3', env);
  const kvsEndpoint = endpointFor('CLOUDFRONT_KEYVALUESTORE', env);
  return {
    cloudFormation: new CloudFormationClient({ ...common, endpoint: endpointFor('CLOUDFORMATION', env) }),
    s3: new S3Client({ ...common, endpoint: s3Endpoint, forcePathStyle: s3Endpoint !== undefined }),
    // The endpoint rules put the account id in front of the host; a stand-in has no such names, so an override is
    // used exactly as given (signing still follows the real endpoint's rules: SigV4a).
    kvs: new CloudFrontKeyValueStoreClient(
      kvsEndpoint ? { ...common, endpointProvider: () => ({ url: new URL(kvsEndpoint) }) } : common,
    ),
  };
}

export interface SiteOutputs {
  readonly kvsArn: string;
  readonly bucket: string;
  /** Undefined until the Site stack that names it is deployed; commands that write the trail refuse then. */
  readonly auditBucket?: string;
}

export async function siteOutputs(
  cloudFormation: CloudFormationClient,
  envName: EnvironmentName,
): Promise<SiteOutputs> {
  const stackName = `${STAGE_IDS[envName]}-Site`;
  const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
  const outputs = Object.fromEntries((Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));
  const kvsArn = outputs.ReleasePointerArn;
  const bucket = outputs.SiteBucketName;
  if (!kvsArn || !bucket)
    throw new Error(
      `${stackName} has no ReleasePointerArn/SiteBucketName output. Fix: deploy the Site stack first (npx cdk deploy '${STAGE_IDS[envName]}/*').`,
    );
  return { kvsArn, bucket, auditBucket: outputs.AuditBucketName };
}

/** Who the audit trail names for this process (the CI run, or the operator). */
export const actor = (env: NodeJS.ProcessEnv = process.env) => actorFrom(env, () => userInfo().username);
