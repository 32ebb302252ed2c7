/**
 * check-app's core: synthesize the app with the given build (or read an assembly synthesized with it), serve one
 * environment's distribution with the preview (its real headers, routing and uploads), and browse it in Chromium.
 * Returns the findings; the CLI (scripts/check-app.ts) prints them and sets the exit code.
 */
import type { Server } from 'node:http';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import type { EnvironmentName } from '../../lib/config';
import { launchChromium } from '../lib/chromium';
import { readFreshAssembly } from '../lib/read-assembly';
import { startLocalDynamoDb } from '../../tools/stand-ins/dynamodb';
import { startLocalSns } from '../../tools/stand-ins/sns';
import { healthHandlerWith, telemetryHandlerWith } from '../preview/handlers';
import { startPreviewServer } from '../preview/server';
import { loadSiteModel } from '../preview/site-model';
import { browseSite } from './browse';
import type { Finding } from './findings';

export interface CheckAppOptions {
  readonly envName: EnvironmentName;
  /** The build folder to synthesize with; app-dist/ by default. */
  readonly dist?: string;
  /** An assembly already synthesized with the build (cdk.out): read instead of synthesizing; refused when stale. */
  readonly assemblyDir?: string;
  /** Paths to visit; `/` first. */
  readonly paths: readonly string[];
}

export interface CheckAppResult {
  readonly findings: readonly Finding[];
  /** Which CSP header the environment sends: an enforced policy blocks, report-only only reports. */
  readonly cspHeader: string;
  readonly release: string;
  /** Outside requests the stand-ins answered without knowing their real shape ("GET https://host/path"). */
  readonly unchecked: readonly string[];
  /** Event lines the collector stored during the run (the app's own reports, as the account would keep them). */
  readonly telemetryLines: number;
}

function assemblyFor(options: Pick<CheckAppOptions, 'envName' | 'dist' | 'assemblyDir'>): CloudAssembly {
  if (options.assemblyDir) return readFreshAssembly(options.assemblyDir);
  // Required only to synthesize: loading the whole app is costly, and reading an assembly does not need it.
  const { synthesizedAssembly } = require('../lib/synthesized') as typeof import('../lib/synthesized');
  // No nag packs or CloudFormation Validate: they judge the infrastructure (in its own synth), check-app the build,
  // and a new build's Site template would miss the validation cache on every run.
  return synthesizedAssembly(undefined, {
    appDist: options.dist,
    environments: [options.envName],
    policyChecks: false,
  });
}

export async function checkApp(options: CheckAppOptions): Promise<CheckAppResult> {
  const model = loadSiteModel(assemblyFor(options), options.envName);
  // /_telemetry/* runs the real collector, as in the preview: an app that reports must get the deployed answers.
  const dynamodb = await startLocalDynamoDb();
  const sns = await startLocalSns();
  let telemetryLines = 0;
  const { server, url } = await startPreviewServer(model, {
    healthHandler: healthHandlerWith(model.healthEnvironment),
    telemetryHandler: telemetryHandlerWith(model, {
      dynamodbUrl: dynamodb.url,
      snsUrl: sns.url,
      write: () => telemetryLines++,
    }),
  });
  const browser = await launchChromium();
  try {
    const unchecked = new Set<string>();
    const findings = await browseSite(browser, url, options.paths, { unchecked });
    const html = model.behaviours.find((b) => b.pathPattern === '*')!.headers.values;
    return {
      findings,
      cspHeader: Object.keys(html).find((h) => /^content-security-policy/i.test(h)) ?? 'none',
      release: model.keyValueStore.get('live-release') ?? 'none',
      unchecked: [...unchecked].sort(),
      telemetryLines,
    };
  } finally {
    await browser.close();
    await new Promise<void>((resolve) => (server as Server).close(() => resolve()));
    await dynamodb.close();
    await sns.close();
  }
}
