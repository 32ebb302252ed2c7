/**
 * Which dependency is down, asked as the prober asks: prints /health, /health/db and /health/apis with each check's
 * status and latency. Needs the probe token (AWSCURRENT of `prober-health-token`): without it the last two answer
 * 404. `--wait` asks every 10 s until healthy, to see a provider's outage end. The site is MIKO_SITE_URL if set.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PROBE_TOKEN_HEADER } from '../lambda/shared/probe-token';
import { parseSecretValue } from '../lambda/shared/secret-value';
import { EnvironmentName, REQUIRED_REGION } from '../lib/config';
import { PROBE_TOKEN_CREDENTIAL, secretName } from '../lib/secrets/inventory';
import { explainAwsErrorForArgv } from './lib/aws-access';
import { siteUrl } from './lib/site-url';
import { clockFrom } from './verify';
import { environmentFlag, Io, processIo, runCommand, runIfMain, UsageError } from './lib/command';

const USAGE = `usage: npm run health -- --env <staging|production> [--wait <seconds>]
Exit codes: 0 every critical check passes; 1 one does not; 2 usage; 3 could not ask (site or probe token unreachable)`;
const POLL_SECONDS = 10;
const REQUEST_TIMEOUT_MS = 10_000;

interface Answer {
  readonly path: string;
  readonly status: number;
  readonly body: { status?: string; checks?: Record<string, { status: string; latencyMs: number }> };
}

async function ask(site: string, path: string, token: string): Promise<Answer> {
  const response = await fetch(new URL(path, site), {
    headers: { [PROBE_TOKEN_HEADER]: token },
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    redirect: 'manual',
  });
  const text = await response.text();
  let body: Answer['body'] = {};
  try {
    body = JSON.parse(text);
  } catch {
    // Not the health API's JSON (an error page): the status says enough.
  }
  return { path, status: response.status, body };
}

const line = (a: Answer) =>
  `${a.path.padEnd(12)} ${a.status} ${a.body.status ?? '?'}${Object.entries(a.body.checks ?? {})
    .map(([name, c]) => `  ${name}=${c.status} ${c.latencyMs}ms`)
    .join('')}`;

const SPEC = {
  name: 'health',
  usage: USAGE,
  options: { env: { type: 'string' as const }, wait: { type: 'string' as const } },
};

export function main(argv: string[], io: Io = processIo): Promise<number> {
  return runCommand(SPEC, argv, io, (values) => {
    const env = environmentFlag(values.env);
    const waitSeconds = values.wait === undefined ? 0 : Number(values.wait);
    if (!Number.isFinite(waitSeconds) || waitSeconds < 0)
      throw new UsageError(`--wait "${values.wait}" is not a number of seconds. Fix: --wait 900.`);
    return check(env, waitSeconds, argv, io);
  });
}

/** Asks the health API until every critical check passes or the wait is over. */
async function check(env: EnvironmentName, waitSeconds: number, argv: string[], io: Io): Promise<number> {
  const sm = new SecretsManagerClient({ region: process.env.AWS_REGION ?? REQUIRED_REGION });
  const site = siteUrl(env);
  const clock = clockFrom(process.env) ?? {
    now: Date.now,
    sleep: (ms: number) => new Promise((r) => setTimeout(r, ms)),
  };
  const deadline = clock.now() + waitSeconds * 1000;
  try {
    const token = parseSecretValue(
      (await sm.send(new GetSecretValueCommand({ SecretId: secretName(env, PROBE_TOKEN_CREDENTIAL) }))).SecretString,
      'the probe token',
    ).value;
    for (;;) {
      let answers: Answer[];
      try {
        answers = await Promise.all(['/health', '/health/db', '/health/apis'].map((p) => ask(site, p, token)));
      } catch (error) {
        io.err(`health: could not ask ${site}: ${(error as Error).message}. Fix: docs/runbooks/site-down.md`);
        return 3;
      }
      // 200 means every critical check passes (a 'degraded' answer names the non-critical one that does not).
      const healthy = answers.every((a) => a.status === 200);
      if (healthy || clock.now() >= deadline) {
        for (const a of answers) io.out(line(a));
        io.out(
          `health ${env}: ${healthy ? 'critical checks pass' : 'NOT healthy (see the checks above; docs/runbooks/dependency-down.md)'}`,
        );
        return healthy ? 0 : 1;
      }
      await clock.sleep(Math.min(POLL_SECONDS * 1000, deadline - clock.now()));
    }
  } catch (error) {
    io.err(`health: could not read the probe token: ${explainAwsErrorForArgv('npm run health', argv, error).message}`);
    return 3;
  } finally {
    sm.destroy();
  }
}

runIfMain(module, main);
