/**
 * `npm run preview [-- --env staging|production] [--port 4173]`: serves app-dist on 127.0.0.1 the way the
 * synthesized distribution would (see scripts/preview/server.ts). Stops cleanly on Ctrl-C.
 */
import { ENVIRONMENT_NAMES, EnvironmentName } from '../lib/config';
import { parseFlags } from './lib/flags';
import { synthesizedAssembly } from './lib/synthesized';
import { healthHandlerWith, telemetryHandlerWith } from './preview/handlers';
import { startPreviewServer } from './preview/server';
import { loadSiteModel } from './preview/site-model';
import { startLocalDynamoDb } from '../tools/stand-ins/dynamodb';
import { startLocalSns } from '../tools/stand-ins/sns';

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2), { env: 'value', port: 'value', assembly: 'value' });
  const envName = (flags.env ?? 'staging') as EnvironmentName;
  if (!ENVIRONMENT_NAMES.includes(envName)) throw new Error(`--env must be one of ${ENVIRONMENT_NAMES.join(', ')}`);
  const port = flags.port === undefined ? 4173 : Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('--port must be a port number (0-65535)');

  const model = loadSiteModel(synthesizedAssembly(flags.assembly as string | undefined), envName);
  // Telemetry: a DynamoDB stand-in holds the error kinds, an SNS stand-in takes new-kind notices, lines go to stdout.
  const dynamodb = await startLocalDynamoDb();
  const sns = await startLocalSns();
  const write = (line: string) => console.log(`telemetry: ${line}`);
  const { server, url } = await startPreviewServer(model, {
    port,
    healthHandler: healthHandlerWith(model.healthEnvironment),
    telemetryHandler: telemetryHandlerWith(model, {
      dynamodbUrl: dynamodb.url,
      snsUrl: sns.url,
      write,
    }),
  });
  console.log(`MiKO ${envName} preview (release ${model.keyValueStore.get('live-release') ?? 'none'}): ${url}/`);
  console.log(
    'Headers, Cache-Control, routing and /health as the synthesized distribution would answer. Ctrl-C stops.',
  );
  console.log(
    '/_telemetry/* runs the real collector: its event lines print here as "telemetry: {…}"; DynamoDB and SNS are local stand-ins.',
  );
  const stop = () =>
    server.close(() => {
      void dynamodb.close();
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
