/**
 * `npm run preview [-- --env staging|production] [--port 4173]`: serves app-dist on 127.0.0.1 the way the
 * synthesized distribution would (see scripts/preview/server.ts). Stops cleanly on Ctrl-C.
 */
import { ENVIRONMENT_NAMES, EnvironmentName } from '../lib/config';
import { parseFlags, synthesizedAssembly } from './lib/synthesized';
import { HealthHandler, startPreviewServer } from './preview/server';
import { loadSiteModel } from './preview/site-model';

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
  const { server, url } = await startPreviewServer(model, { port, healthHandler: healthHandlerWith(model.healthEnvironment) });
  console.log(`MiKO ${envName} preview (release ${model.keyValueStore.get('live-release') ?? 'none'}): ${url}/`);
  console.log('Headers, Cache-Control, routing and /health as the synthesized distribution would answer. Ctrl-C stops.');
  const stop = () => server.close(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(`preview: ${(error as Error).message}`);
    process.exit(1);
  });
}
