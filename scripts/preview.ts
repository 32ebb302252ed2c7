/**
 * Serves app-dist on 127.0.0.1 the way the synthesized distribution would (scripts/preview/server.ts), optionally
 * with a canary. The release store is a local stand-in (tools/stand-ins/release-aws.ts): `npm run release` and
 * `npm run flag` change it through AWS_ENDPOINT_URL, and the next request shows it.
 */
import { loadAppConfig } from '../lib/config';
import { environmentFlag, FlagValues, Io, processIo, runCommand, runIfMain, UsageError } from './lib/command';
import { synthesizedAssembly } from './lib/synthesized';
import { healthHandlerWith, telemetryHandlerWith } from './preview/handlers';
import { startPreviewServer } from './preview/server';
import { loadSiteModel } from './preview/site-model';
import { startLocalDynamoDb } from '../tools/stand-ins/dynamodb';
import { startLocalSns } from '../tools/stand-ins/sns';
import { STAGE_IDS } from '../lib/stage-ids';
import { withCanaryDist } from './preview/canary-release';
import { startReleaseStandIn } from './preview/release-store';

const USAGE = `usage: npm run preview -- [--env staging|production] [--port 4173] [--assembly <cdk.out>] [--canary-dist <dir> [--weight 5]]
  Serves app-dist on 127.0.0.1 as the synthesized distribution would; --canary-dist serves <dir> to --weight % of browsers.
Exit codes: 0 stopped by Ctrl-C; 1 could not start (an assembly older than the code, a bad build); 2 usage`;

const SPEC = {
  name: 'preview',
  usage: USAGE,
  options: {
    env: { type: 'string' },
    port: { type: 'string' },
    assembly: { type: 'string' },
    'canary-dist': { type: 'string' },
    weight: { type: 'string' },
  },
} as const;

export function main(argv: string[], io: Io = processIo): Promise<number> {
  return runCommand(SPEC, argv, io, (values) => serveUntilStopped(values, io));
}

async function serveUntilStopped(flags: FlagValues, io: Io): Promise<number> {
  const envName = environmentFlag(flags.env ?? 'staging');
  const port = flags.port === undefined ? 4173 : Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError('--port must be a port number (0-65535)');

  const weight = flags.weight === undefined ? 5 : Number(flags.weight);
  if (!Number.isFinite(weight) || weight < 0 || weight > 100)
    throw new UsageError('--weight must be a percentage (0-100)');
  if (flags.weight !== undefined && !flags['canary-dist']) throw new UsageError('--weight needs --canary-dist <dir>');
  let model = loadSiteModel(synthesizedAssembly(flags.assembly as string | undefined), envName);
  let canaryRelease: string | undefined;
  if (typeof flags['canary-dist'] === 'string')
    ({ model, canaryRelease } = withCanaryDist(model, loadAppConfig()[envName], flags['canary-dist']));
  const releaseAws = await startReleaseStandIn(model, `${STAGE_IDS[envName]}-Site`, canaryRelease, weight);
  // Telemetry: a DynamoDB stand-in holds the error kinds, an SNS stand-in takes new-kind notices, lines go to stdout.
  const dynamodb = await startLocalDynamoDb();
  const sns = await startLocalSns();
  const write = (line: string) => io.out(`telemetry: ${line}`);
  const { server, url } = await startPreviewServer(model, {
    port,
    keyValueStore: releaseAws.store,
    healthHandler: healthHandlerWith(model.healthEnvironment),
    telemetryHandler: telemetryHandlerWith(model, {
      dynamodbUrl: dynamodb.url,
      snsUrl: sns.url,
      write,
    }),
  });
  io.out(`MiKO ${envName} preview (release ${model.keyValueStore.get('live-release') ?? 'none'}): ${url}/`);
  if (canaryRelease)
    io.out(`canary ${canaryRelease} serves ${weight} % of browsers (header x-miko-release names the release served)`);
  io.out(
    `Release store stand-in: AWS_ENDPOINT_URL=${releaseAws.url} AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local npm run flag -- --env ${envName} --list (or npm run release -- --env ${envName} --status)`,
  );
  io.out('Headers, Cache-Control, routing and /health as the synthesized distribution would answer. Ctrl-C stops.');
  io.out(
    '/_telemetry/* runs the real collector: its event lines print here as "telemetry: {…}"; DynamoDB and SNS are local stand-ins.',
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await new Promise((resolve) => server.close(resolve));
  await Promise.all([dynamodb.close(), releaseAws.close(), sns.close()]);
  return 0;
}

runIfMain(module, main);
