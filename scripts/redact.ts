/**
 * The privacy officer's view of what the account keeps from browser reports. Runs the collector's own handler with
 * the environment's synthesized settings and the build's vocabulary layer (the bytes the deploy ships) against
 * local DynamoDB and SNS stand-ins. Each line is judged as the first report of its kind, so a new-kind notice shows.
 */
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { ENVIRONMENT_NAMES, EnvironmentName } from '../lib/config';
import { DUMMY_AWS_ENV } from '../tools/stand-ins/aws-endpoints';
import { startLocalDynamoDb } from '../tools/stand-ins/dynamodb';
import { startLocalSns } from '../tools/stand-ins/sns';
import { collectorHandler, CollectorEvent } from '../lambda/telemetry/handler';
import { Endpoint, ENDPOINTS } from '../lambda/telemetry/intake';
import { readSettings } from '../lambda/telemetry/settings';
import type { Vocabulary } from '../lambda/telemetry/vocabulary';
import { environmentFlag, FlagValues, Io, processIo, runCommand, runIfMain, UsageError } from './lib/command';

const USAGE = `usage: npm run redact -- --endpoint <${Object.keys(ENDPOINTS).join('|')}> [--env <${ENVIRONMENT_NAMES.join('|')}>] [--dist <app build> | --assembly <cdk.out>] < bodies.jsonl

Reads request bodies from stdin (one JSON document per line, as a browser posts them) and prints, per line,
{"kept": [stored log line, …] or null, "refused"?: "<status> <why>", "notices": [{"subject", "message"}]}.
--env defaults to production; the build to app-dist/ (synthesized in process), or an assembly already synthesized.

Exit codes: 0 every line answered (refusals included); 1 the build or assembly could not be read; 2 usage.`;

export const EXIT = { ok: 0, couldNotRun: 1, usage: 2 } as const;

/** What a browser sends to each endpoint (CSP: report-uri's type; a JSON array there is a report-to batch). */
function contentTypeFor(endpoint: Endpoint, body: string): string {
  if (endpoint === 'reports' || (endpoint === 'csp' && body.trimStart().startsWith('[')))
    return 'application/reports+json';
  return endpoint === 'csp' ? 'application/csp-report' : 'application/json';
}

/** A Chrome on Windows: the line keeps only its family. */
const BROWSER_USER_AGENT =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';

interface RedactOptions {
  readonly endpoint: Endpoint;
  readonly envName: EnvironmentName;
  readonly dist?: string;
  readonly assemblyDir?: string;
}

const SPEC = {
  name: 'redact',
  usage: USAGE,
  options: {
    endpoint: { type: 'string' as const },
    env: { type: 'string' as const, default: 'production' },
    dist: { type: 'string' as const },
    assembly: { type: 'string' as const },
  },
};

/** The bodies come from `input` (stdin unless a test passes its own). */
export interface RedactIo extends Io {
  readonly input?: Readable;
}

function parseOptions(flags: FlagValues): RedactOptions {
  const values = flags as { endpoint?: string; env: string; dist?: string; assembly?: string };
  const endpoint = values.endpoint as Endpoint;
  if (!endpoint || !(endpoint in ENDPOINTS))
    throw new UsageError(
      `--endpoint must be one of ${Object.keys(ENDPOINTS).join(', ')} (the collector path the bodies were posted to)`,
    );
  const envName = environmentFlag(values.env);
  if (values.dist !== undefined && values.assembly !== undefined)
    throw new UsageError(
      '--dist and --assembly exclude each other: an assembly holds the build it was synthesized with',
    );
  return {
    endpoint,
    envName,
    dist: values.dist === undefined ? undefined : resolve(values.dist),
    assemblyDir: values.assembly === undefined ? undefined : resolve(values.assembly),
  };
}

/** The collector as deployed: its function's settings and its layer's vocabulary, read from the assembly. */
function deployedCollector(options: RedactOptions): { environment: Record<string, string>; vocabulary: Vocabulary } {
  // Loaded here: synthesizing loads the whole app, which --help and a bad flag should not wait for.
  const { synthesizedAssembly } = require('./lib/synthesized') as typeof import('./lib/synthesized');
  const { loadSiteModel } = require('./preview/site-model') as typeof import('./preview/site-model');
  const assembly = synthesizedAssembly(options.assemblyDir, {
    appDist: options.dist,
    environments: [options.envName],
    policyChecks: false,
  });
  const model = loadSiteModel(assembly, options.envName);
  return { environment: { ...model.telemetryEnvironment }, vocabulary: model.telemetryVocabulary };
}

async function redactLines(options: RedactOptions, input: Readable, print: (line: string) => void): Promise<void> {
  const { environment, vocabulary } = deployedCollector(options);
  const settings = readSettings(environment);
  // The SDK clients need some credentials to sign with; they only ever reach the stand-ins.
  for (const [name, value] of Object.entries(DUMMY_AWS_ENV)) process.env[name] ??= value;
  const dynamodb = await startLocalDynamoDb();
  const sns = await startLocalSns();
  try {
    for await (const body of createInterface({ input, crlfDelay: Infinity })) {
      if (body.trim() === '') continue;
      // A fresh handler and empty stand-ins per line: every report is the first of its kind, under no cap.
      dynamodb.tables.clear();
      sns.published.length = 0;
      const kept: unknown[] = [];
      const handle = collectorHandler(
        settings,
        { dynamodb: dynamodb.url, sns: sns.url },
        (line) => kept.push(JSON.parse(line)),
        vocabulary,
      );
      const event: CollectorEvent = {
        rawPath: ENDPOINTS[options.endpoint],
        requestContext: { http: { method: 'POST' } },
        headers: {
          origin: settings.siteOrigin,
          'content-type': contentTypeFor(options.endpoint, body),
          'user-agent': BROWSER_USER_AGENT,
        },
        body,
      };
      const answer = await handle(event);
      const refused =
        answer.statusCode === 204 ? undefined : `${answer.statusCode} ${JSON.parse(answer.body ?? '{}').error}`;
      print(
        JSON.stringify({
          kept: refused ? null : kept,
          ...(refused && { refused }),
          notices: sns.published.map(({ subject, message }) => ({ subject, message })),
        }),
      );
    }
  } finally {
    await dynamodb.close();
    await sns.close();
  }
}

/** The command: parses argv, answers every line of the input, and returns the exit code. */
export function main(argv: string[], io: RedactIo = processIo): Promise<number> {
  return runCommand(SPEC, argv, io, async (values) => {
    const options = parseOptions(values);
    try {
      await redactLines(options, io.input ?? process.stdin, io.out);
      return EXIT.ok;
    } catch (error) {
      io.err(`redact: ${(error as Error).message}`);
      return EXIT.couldNotRun;
    }
  });
}

runIfMain(module, main);
