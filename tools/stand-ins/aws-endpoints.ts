/**
 * Real HTTP servers on 127.0.0.1 standing in for dependencies and AWS endpoints in tests. `close()` also drops
 * connections held open by hung handlers, so no test leaves a socket behind.
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { requestBody } from '../../scripts/lib/request-body';

export interface LocalServer {
  readonly server: Server;
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export async function startLocalServer(
  handle: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<LocalServer> {
  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    port,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on (bound, then released), for "connection refused". */
export async function refusedPort(): Promise<number> {
  const probe = await startLocalServer(() => undefined);
  await probe.close();
  return probe.port;
}

export async function readBody(req: IncomingMessage): Promise<string> {
  return (await requestBody(req)).toString('utf8');
}

/**
 * A Secrets Manager stand-in speaking its real protocol (AWS JSON 1.1, `X-Amz-Target: secretsmanager.GetSecretValue`)
 * for the SDK client pointed at it. Counts reads so tests can assert caching.
 */
export async function startSecretsManager(
  secrets: Record<string, string>,
): Promise<LocalServer & { reads: () => number }> {
  let reads = 0;
  const local = await startLocalServer(async (req, res) => {
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

export interface RecordedDatum {
  readonly namespace: string;
  readonly name: string;
  readonly value: number;
  readonly unit?: string;
  readonly timestampMs: number;
  readonly storageResolution?: number;
  readonly dimensions: Record<string, string>;
}

/**
 * A CloudWatch stand-in for PutMetricData as this SDK version sends it: AWS JSON 1.0
 * (`X-Amz-Target: GraniteServiceVersion20100801.PutMetricData`, `application/x-amz-json-1.0`, timestamps in epoch
 * seconds). Older SDKs used the query protocol; the stand-in refuses anything else so a protocol change fails tests.
 */
export async function startCloudWatch(
  options: {
    /** Answer the next call 500 InternalServiceFault when it returns true. */
    failNext?: () => boolean;
    /** Answer the next call 400 Throttling ("Rate exceeded", no Retry-After) when it returns true. */
    throttleNext?: () => boolean;
  } = {},
): Promise<LocalServer & { datapoints: RecordedDatum[] }> {
  const datapoints: RecordedDatum[] = [];
  const local = await startLocalServer(async (req, res) => {
    const raw = await readBody(req);
    res.setHeader('content-type', 'application/x-amz-json-1.0');
    if (
      req.headers['x-amz-target'] !== 'GraniteServiceVersion20100801.PutMetricData' ||
      !String(req.headers['content-type']).startsWith('application/x-amz-json-1.0')
    ) {
      res
        .writeHead(400)
        .end(JSON.stringify({ __type: 'com.amazonaws.cloudwatch#InvalidAction', message: 'unexpected protocol' }));
      return;
    }
    if (options.throttleNext?.()) {
      res
        .writeHead(400, { 'x-amzn-query-error': 'Throttling;Sender' })
        .end(JSON.stringify({ __type: 'com.amazonaws.cloudwatch#Throttling', message: 'Rate exceeded' }));
      return;
    }
    if (options.failNext?.()) {
      res
        .writeHead(500)
        .end(JSON.stringify({ __type: 'com.amazonaws.cloudwatch#InternalServiceFault', message: 'boom' }));
      return;
    }
    const body = JSON.parse(raw) as {
      Namespace: string;
      MetricData: Array<{
        MetricName: string;
        Value: number;
        Unit?: string;
        Timestamp: number | string;
        StorageResolution?: number;
        Dimensions?: Array<{ Name: string; Value: string }>;
      }>;
    };
    for (const d of body.MetricData) {
      datapoints.push({
        namespace: body.Namespace,
        name: d.MetricName,
        value: d.Value,
        unit: d.Unit,
        timestampMs: typeof d.Timestamp === 'number' ? d.Timestamp * 1000 : Date.parse(d.Timestamp),
        storageResolution: d.StorageResolution,
        dimensions: Object.fromEntries((d.Dimensions ?? []).map((x) => [x.Name, x.Value])),
      });
    }
    res.writeHead(200).end('{}');
  });
  return { ...local, datapoints };
}
