/** A Secrets Manager reader for the health checks, and the dummy credentials every local SDK client signs with. */
import { LocalServer, listen, readBody } from './http';

/** Kept under these names for the tests that import them from here. */
export { listen as startLocalServer, readBody, refusedPort } from './http';
export type { LocalServer } from './http';
export { startCloudWatch } from './cloudwatch';
export type { RecordedDatum } from './cloudwatch';

/**
 * A Secrets Manager stand-in speaking its real protocol (AWS JSON 1.1, `X-Amz-Target: secretsmanager.GetSecretValue`)
 * for the SDK client pointed at it. Counts reads so tests can assert caching.
 */
export async function startSecretsManager(
  secrets: Record<string, string>,
): Promise<LocalServer & { reads: () => number }> {
  let reads = 0;
  const local = await listen(async (req, res) => {
    const body = JSON.parse(await readBody(req)) as { SecretId?: string };
    const target = req.headers['x-amz-target'];
    res.setHeader('content-type', 'application/x-amz-json-1.1');
    if (target !== 'secretsmanager.GetSecretValue') {
      res
        .writeHead(400)
        .end(JSON.stringify({ __type: 'InvalidRequestException', message: `unexpected ${String(target)}` }));
      return;
    }
    reads++;
    const value = body.SecretId === undefined ? undefined : secrets[body.SecretId];
    if (value === undefined) {
      res.writeHead(400).end(
        JSON.stringify({
          __type: 'ResourceNotFoundException',
          message: "Secrets Manager can't find the specified secret.",
        }),
      );
      return;
    }
    res.writeHead(200).end(
      JSON.stringify({
        ARN: `arn:aws:secretsmanager:us-east-1:111111111111:secret:${body.SecretId}-AbCdEf`,
        Name: body.SecretId,
        SecretString: value,
        VersionId: 'v1',
        VersionStages: ['AWSCURRENT'],
      }),
    );
  });
  return { ...local, reads: () => reads };
}

/** Dummy credentials and region so real SDK clients sign requests to a local endpoint without any AWS account. */
export const DUMMY_AWS_ENV = {
  AWS_ACCESS_KEY_ID: 'AKIDLOCALTEST',
  AWS_SECRET_ACCESS_KEY: 'local-test-only',
  AWS_REGION: 'us-east-1',
};
