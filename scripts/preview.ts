/**
 * `npm run preview [-- --env staging|production] [--port 4173]`: serves app-dist on 127.0.0.1 the way the
 * synthesized distribution would (see scripts/preview/server.ts). Stops cleanly on Ctrl-C.
 */
import { ENVIRONMENT_NAMES, EnvironmentName } from '../lib/config';
import { parseFlags, synthesizedAssembly } from './lib/synthesized';
import { HealthHandler, startPreviewServer } from './preview/server';
import { loadSiteModel } from './preview/site-model';
import { collectorHandler } from '../lambda/telemetry/handler';
import { readSettings } from '../lambda/telemetry/settings';
import { startLocalDynamoDb } from './lib/local-dynamodb';
import { startLocalSns } from './lib/local-sns';

/** Where the preview's collector sends what the Lambda would send to AWS: local stand-ins, and its event lines. */
export interface TelemetrySinks {
  readonly dynamodbUrl: string;
  readonly snsUrl: string;
  readonly write: (line: string) => void;
}

/**
 * The real collector handler with the synthesized function's settings, accepting the preview's own origin (the
 * deployed one accepts only https://<domain>) and talking to local stand-ins through the real SDK clients.
 * CloudFront's Lambda@Edge payload hash is not modelled: the function URL's signature check it serves is AWS's.
 */
export function telemetryHandlerWith(environment: Readonly<Record<string, string>>, sinks: TelemetrySinks): (previewOrigin: string) => HealthHandler {
  return (previewOrigin) => {
    process.env.AWS_REGION ??= 'us-east-1';
    process.env.AWS_ACCESS_KEY_ID ??= 'AKIDLOCALPREVIEW';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'local-preview-only';
    const settings = { ...readSettings(environment as NodeJS.ProcessEnv), siteOrigin: previewOrigin };
    return collectorHandler(settings, { dynamodb: sinks.dynamodbUrl, sns: sinks.snsUrl }, sinks.write) as HealthHandler;
  };
}

/** The real health handler, loaded after its environment is set as the function's would be. */
export function healthHandlerWith(environment: Readonly<Record<string, string>>): HealthHandler {
  Object.assign(process.env, environment);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../lambda/health/handler').handler as HealthHandler;
}

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
    telemetryHandler: telemetryHandlerWith(model.telemetryEnvironment, { dynamodbUrl: dynamodb.url, snsUrl: sns.url, write }),
  });
  console.log(`MiKO ${envName} preview (release ${model.keyValueStore.get('live-release') ?? 'none'}): ${url}/`);
  console.log('Headers, Cache-Control, routing and /health as the synthesized distribution would answer. Ctrl-C stops.');
  console.log('/_telemetry/* runs the real collector: its event lines print here as "telemetry: {…}"; DynamoDB and SNS are local stand-ins.');
  const stop = () => server.close(() => { void dynamodb.close(); void sns.close(); process.exit(0); });
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(`preview: ${(error as Error).message}`);
    process.exit(1);
  });
}
