/**
 * `npm run preview [-- --env staging|production] [--port 4173] [--canary-dist <dir> --weight <percent>]`: serves
 * app-dist on 127.0.0.1 the way the synthesized distribution would (see scripts/preview/server.ts), and with
 * --canary-dist serves <dir> as the canary to <percent> of browsers through the same functions. The release store
 * is a local stand-in (tools/stand-ins/release-aws.ts): `npm run release` and `npm run flag` change it through
 * AWS_ENDPOINT_URL, and the next request shows it. Stops cleanly on Ctrl-C.
 */
import { ENVIRONMENT_NAMES, EnvironmentName, loadAppConfig } from '../lib/config';
import { parseFlags } from './lib/flags';
import { synthesizedAssembly } from './lib/synthesized';
import { healthHandlerWith, telemetryHandlerWith } from './preview/handlers';
import { startPreviewServer } from './preview/server';
import { loadSiteModel } from './preview/site-model';
import { startLocalDynamoDb } from '../tools/stand-ins/dynamodb';
import { startLocalSns } from '../tools/stand-ins/sns';
import { STAGE_IDS } from '../lib/stage-ids';
import { withCanaryDist } from './preview/canary-release';
import { startReleaseStandIn } from './preview/release-store';

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2), {
    env: 'value',
    port: 'value',
    assembly: 'value',
    'canary-dist': 'value',
    weight: 'value',
  });
  const envName = (flags.env ?? 'staging') as EnvironmentName;
  if (!ENVIRONMENT_NAMES.includes(envName)) throw new Error(`--env must be one of ${ENVIRONMENT_NAMES.join(', ')}`);
  const port = flags.port === undefined ? 4173 : Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('--port must be a port number (0-65535)');

  const weight = flags.weight === undefined ? 5 : Number(flags.weight);
  if (!Number.isFinite(weight) || weight < 0 || weight > 100) throw new Error('--weight must be a percentage (0-100)');
  if (flags.weight !== undefined && !flags['canary-dist']) throw new Error('--weight needs --canary-dist <dir>');
  let model = loadSiteModel(synthesizedAssembly(flags.assembly as string | undefined), envName);
  let canaryRelease: string | undefined;
  if (typeof flags['canary-dist'] === 'string')
    ({ model, canaryRelease } = withCanaryDist(model, loadAppConfig()[envName], flags['canary-dist']));
  const releaseAws = await startReleaseStandIn(model, `${STAGE_IDS[envName]}-Site`, canaryRelease, weight);
  // Telemetry: a DynamoDB stand-in holds the error kinds, an SNS stand-in takes new-kind notices, lines go to stdout.
  const dynamodb = await startLocalDynamoDb();
  const sns = await startLocalSns();
  const write = (line: string) => console.log(`telemetry: ${line}`);
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
  console.log(`MiKO ${envName} preview (release ${model.keyValueStore.get('live-release') ?? 'none'}): ${url}/`);
  if (canaryRelease)
    console.log(
      `canary ${canaryRelease} serves ${weight} % of browsers (header x-miko-release names the release served)`,
    );
  console.log(
    `Release store stand-in: AWS_ENDPOINT_URL=${releaseAws.url} AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local npm run flag -- --env ${envName} --list (or npm run release -- --env ${envName} --status)`,
  );
  console.log(
    'Headers, Cache-Control, routing and /health as the synthesized distribution would answer. Ctrl-C stops.',
  );
  console.log(
    '/_telemetry/* runs the real collector: its event lines print here as "telemetry: {…}"; DynamoDB and SNS are local stand-ins.',
  );
  const stop = () =>
    server.close(() => {
      void dynamodb.close();
      void releaseAws.close();
      void sns.close();
      process.exit(0);
    });
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(`preview: ${(error as Error).message}`);
    process.exit(1);
  });
}
