/**
 * What the preview runs behind `/health*` and `/_telemetry/*`: the real handlers with their synthesized functions'
 * environment. Apart from the preview command (scripts/preview.ts) so that check-app and the tests can use them
 * without loading what only the command needs (the synth, the local AWS stand-ins).
 */
import { collectorHandler } from '../../lambda/telemetry/handler';
import { readSettings } from '../../lambda/telemetry/settings';
import type { HealthHandler } from './server';
import type { SiteModel } from './site-model';

/** Where the preview's collector sends what the Lambda would send to AWS: local stand-ins, and its event lines. */
export interface TelemetrySinks {
  readonly dynamodbUrl: string;
  readonly snsUrl: string;
  readonly write: (line: string) => void;
}

/**
 * The real collector handler with the synthesized function's settings, accepting the preview's origin, over local
 * stand-ins. The Lambda@Edge payload hash is not modelled: the function URL's signature check it serves is AWS's.
 */
export function telemetryHandlerWith(
  model: Pick<SiteModel, 'telemetryEnvironment' | 'telemetryVocabulary'>,
  sinks: TelemetrySinks,
): (previewOrigin: string) => HealthHandler {
  return (previewOrigin) => {
    process.env.AWS_REGION ??= 'us-east-1';
    process.env.AWS_ACCESS_KEY_ID ??= 'AKIDLOCALPREVIEW';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'local-preview-only';
    const settings = { ...readSettings(model.telemetryEnvironment as NodeJS.ProcessEnv), siteOrigin: previewOrigin };
    return collectorHandler(
      settings,
      { dynamodb: sinks.dynamodbUrl, sns: sinks.snsUrl },
      sinks.write,
      model.telemetryVocabulary,
    ) as HealthHandler;
  };
}

/**
 * The real health handler, loaded after its environment is set as the function's would be. Its log lines go to
 * `log` (default: stdout, as in Lambda).
 */
export function healthHandlerWith(
  environment: Readonly<Record<string, string>>,
  log?: (line: string) => void,
): HealthHandler {
  Object.assign(process.env, environment);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const health = require('../../lambda/health/handler') as typeof import('../../lambda/health/handler');
  if (log) health.writeLogLinesTo(log);
  return health.handler as HealthHandler;
}
