/**
 * Rollback (or roll forward) the live release of an environment: one pointer flip, no rebuild, no upload.
 *
 *   npm run rollback -- --env production --release <id>     make <id> live (it must still be kept in the bucket)
 *   npm run rollback -- --env production --release previous  make the kept release before the live one live
 *   npm run rollback -- --env production --list              show the kept releases, newest first, and which is live
 *
 * It reads the pointer's ARN and the bucket's name from the `<Stage>-Site` stack's outputs, checks the release's
 * index.html is in the bucket, then writes the pointer. Edges read the new value within seconds; browsers load it on
 * their next navigation (HTML and config.json are no-cache). The SDK's AWS_ENDPOINT_URL (or AWS_ENDPOINT_URL_S3,
 * _CLOUDFORMATION, _CLOUDFRONT_KEYVALUESTORE) points the clients at local stand-ins (tests).
 */
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CloudFrontKeyValueStoreClient } from '@aws-sdk/client-cloudfront-keyvaluestore';
import { S3Client } from '@aws-sdk/client-s3';
import { parseArgs } from 'node:util';
import { listReleases, readLiveRelease, releaseExists, setLiveRelease } from '../lambda/shared/release-pointer';
import { ENVIRONMENT_NAMES, EnvironmentName, loadAppConfig, REQUIRED_REGION } from '../lib/config';
import { RELEASE_ID_PATTERN } from '../lib/site/release-content';
import { STAGE_IDS } from '../lib/stage-ids';
import { endpointFor, explainAwsError } from './lib/aws-access';

export interface RollbackClients {
  readonly cloudFormation: CloudFormationClient;
  readonly s3: S3Client;
  readonly kvs: CloudFrontKeyValueStoreClient;
}

/** Every AWS call of a rollback is bounded, so a hung endpoint fails the command instead of hanging a terminal. */
const REQUEST_TIMEOUT_MS = 10_000;

export function clientsFrom(env: NodeJS.ProcessEnv): RollbackClients {
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
    // The store's endpoint rules put the account id in front of the host (<account>.cloudfront-kvs.global.api.aws);
    // a local stand-in has no such names, so an override is used exactly as given (and the signing scheme still
    // comes from the real endpoint's rules: SigV4a).
    kvs: new CloudFrontKeyValueStoreClient(
      kvsEndpoint ? { ...common, endpointProvider: () => ({ url: new URL(kvsEndpoint) }) } : common,
    ),
  };
}

export async function siteOutputs(
  cloudFormation: CloudFormationClient,
  envName: EnvironmentName,
): Promise<{ kvsArn: string; bucket: string }> {
  const stackName = `${STAGE_IDS[envName]}-Site`;
  const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
  const outputs = Object.fromEntries((Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));
  const kvsArn = outputs.ReleasePointerArn;
  const bucket = outputs.SiteBucketName;
  if (!kvsArn || !bucket)
    throw new Error(
      `${stackName} has no ReleasePointerArn/SiteBucketName output. Fix: deploy the Site stack first (npx cdk deploy '${STAGE_IDS[envName]}/*').`,
    );
  return { kvsArn, bucket };
}

/**
 * The newest kept release uploaded before the live one (or the newest kept, when the pointer names a release the
 * bucket no longer holds): what "go back" means at 3 a.m.
 */
async function previousRelease(s3: S3Client, bucket: string, live: string | undefined): Promise<string> {
  const releases = await listReleases(s3, bucket);
  const liveAt = releases.findIndex((r) => r.id === live);
  const previous = releases[liveAt + 1];
  if (!previous)
    throw new Error(
      `no kept release is older than the live one (${live ?? 'none'}); the pointer was not moved. Fix: pick one from --list.`,
    );
  return previous.id;
}

export async function rollback(
  argv: string[],
  clients: RollbackClients,
  print: (line: string) => void = console.log,
): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { env: { type: 'string' }, release: { type: 'string' }, list: { type: 'boolean' } },
    strict: true,
  });
  const envName = values.env as EnvironmentName | undefined;
  if (!envName || !(ENVIRONMENT_NAMES as readonly string[]).includes(envName)) {
    throw new Error(
      `--env must be ${ENVIRONMENT_NAMES.join(' or ')}. Fix: npm run rollback -- --env production --release <id>`,
    );
  }
  if (!values.list && !values.release)
    throw new Error('say which release. Fix: add --release <id>, or --list to see the kept releases.');
  const { kvsArn, bucket } = await siteOutputs(clients.cloudFormation, envName);
  const live = await readLiveRelease(clients.kvs, kvsArn);

  if (values.list) {
    const releases = await listReleases(clients.s3, bucket);
    print(`${envName}: ${releases.length} kept release(s), newest first`);
    for (const r of releases)
      print(
        `${r.id === live ? '*' : ' '} ${r.id}  uploaded ${r.uploadedAt.toISOString()}${r.id === live ? '  (live)' : ''}`,
      );
    return;
  }

  const target = values.release === 'previous' ? await previousRelease(clients.s3, bucket, live) : values.release!;
  if (!RELEASE_ID_PATTERN.test(target)) throw new Error(`"${target}" is not a release id. Fix: pick one from --list.`);
  if (target === live) {
    print(`${envName}: ${target} is already live; nothing changed.`);
    return;
  }
  if (!(await releaseExists(clients.s3, bucket, target))) {
    throw new Error(
      `release ${target} is not kept in ${bucket} (pruned or never deployed); the pointer was not moved. Fix: pick one from --list, or deploy it again.`,
    );
  }
  await setLiveRelease(clients.kvs, kvsArn, target);
  const now = await readLiveRelease(clients.kvs, kvsArn);
  if (now !== target)
    throw new Error(
      `the pointer reads ${now ?? 'nothing'} after writing ${target}; check the KeyValueStore ${kvsArn}.`,
    );
  print(
    `${envName}: live release ${live ?? 'none'} -> ${target}. Edges serve it within seconds; open tabs switch on their next page load.`,
  );
}

if (require.main === module) {
  rollback(process.argv.slice(2), clientsFrom(process.env)).catch((raw: unknown) => {
    const envName = process.argv[process.argv.indexOf('--env') + 1] as EnvironmentName;
    const error = ENVIRONMENT_NAMES.includes(envName)
      ? explainAwsError('npm run rollback', loadAppConfig()[envName].account, envName, raw)
      : raw;
    console.error(`rollback failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
