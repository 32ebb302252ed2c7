/**
 * Which dependency is down, asked as the prober asks: `npm run health -- --env production [--wait <seconds>]`.
 *
 * Reads the probe token from Secrets Manager (AWSCURRENT of `prober-health-token`; without it `/health/db` and
 * `/health/apis` answer 404 like an unknown path), then prints `/health`, `/health/db` and `/health/apis` with each
 * check's status and latency. `--wait` asks again every 10 s until everything is healthy or the time is up: run it
 * after a provider's outage to know when it is over. The site is https://<domain>, or MIKO_SITE_URL.
 *
 * Exit codes: 0 every critical check passes (200), 1 one does not, 2 usage, 3 could not ask (site or token unreachable).
 */
import { parseArgs } from 'node:util';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PROBE_TOKEN_HEADER } from '../lambda/shared/probe-token';
import { parseSecretValue } from '../lambda/shared/secret-value';
import { ENVIRONMENT_NAMES, EnvironmentName, REQUIRED_REGION } from '../lib/config';
import { PROBE_TOKEN_CREDENTIAL, secretName } from '../lib/secrets/inventory';
import { explainAwsErrorForArgv } from './lib/aws-access';
import { siteUrl } from './lib/site-url';
import { clockFrom } from './verify';
import { CONSOLE_IO, Io } from './lib/command-line';

const USAGE = `usage: npm run health -- --env <staging|production> [--wait <seconds>]
exit codes: 0 every critical check passes, 1 one does not, 2 usage, 3 could not ask (site or probe token unreachable)`;
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

export async function main(argv: string[], io: Io = CONSOLE_IO): Promise<number> {
  let env: EnvironmentName;
  let waitSeconds = 0;
  try {
    const { values } = parseArgs({
      args: argv,
      options: { env: { type: 'string' }, wait: { type: 'string' }, help: { type: 'boolean', default: false } },
    });
    if (values.help) {
      io.print(USAGE);
      return 0;
    }
    if (!values.env || !(ENVIRONMENT_NAMES as readonly string[]).includes(values.env))
      throw new Error(`--env must be ${ENVIRONMENT_NAMES.join(' or ')}. Fix: --env production.`);
    env = values.env as EnvironmentName;
    waitSeconds = values.wait === undefined ? 0 : Number(values.wait);
    if (!Number.isFinite(waitSeconds) || waitSeconds < 0)
      throw new Error(`--wait "${values.wait}" is not a number of seconds. Fix: --wait 900.`);
  } catch (error) {
    io.printError(`health: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
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
        io.printError(`health: could not ask ${site}: ${(error as Error).message}. Fix: docs/runbooks/site-down.md`);
        return 3;
      }
      // 200 means every critical check passes (a 'degraded' answer names the non-critical one that does not).
      const healthy = answers.every((a) => a.status === 200);
      if (healthy || clock.now() >= deadline) {
        for (const a of answers) io.print(line(a));
        io.print(
          `health ${env}: ${healthy ? 'critical checks pass' : 'NOT healthy (see the checks above; docs/runbooks/dependency-down.md)'}`,
        );
        return healthy ? 0 : 1;
      }
      await clock.sleep(Math.min(POLL_SECONDS * 1000, deadline - clock.now()));
    }
  } catch (error) {
    io.printError(
      `health: could not read the probe token: ${explainAwsErrorForArgv('npm run health', argv, error).message}`,
    );
    return 3;
  } finally {
    sm.destroy();
  }
}

if (require.main === module) main(process.argv.slice(2)).then((code) => process.exit(code));
