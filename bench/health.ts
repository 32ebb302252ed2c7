/**
 * The health handler's own cost: `/health/db` against local dependencies that answer in a fixed time, minus the
 * slowest check's own latency (keeping server timers and machine noise out), at p50 and p99; the raw wall time for
 * comparison; and the answer time when a dependency hangs (bounded by the check's timeout, not the Lambda's).
 */
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { percentile, printTable } from './measure';

const SLOWEST_MS = 50;
const REQUESTS = 300;
const HUNG_TIMEOUT_MS = 300;

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function check(name: string, url: string, timeoutMs = 2000) {
  return { name, group: 'db', url, method: 'GET', expectedStatus: 200, timeoutMs, critical: true };
}

export async function benchHealth(): Promise<void> {
  const dependency = createServer((req, res) => {
    if (req.url === '/fast') return void res.writeHead(200).end('{}');
    if (req.url === '/slowest') return void setTimeout(() => res.writeHead(200).end('{}'), SLOWEST_MS);
    // /hung never answers
  });
  const base = await listen(dependency);
  process.env.MIKO_HEALTH_SETTINGS = JSON.stringify({
    deadlineMs: 3000,
    checks: [check('fast', `${base}/fast`), check('slowest', `${base}/slowest`), check('fast-2', `${base}/fast`)],
  });
  process.env.AWS_REGION ??= 'us-east-1';
  const silence = console.log;
  console.log = () => undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { handler } = require('../lambda/health/handler') as typeof import('../lambda/health/handler');
    for (let i = 0; i < 20; i++) await handler({ rawPath: '/health/db' }); // warm up connections and JIT
    const overheads: number[] = [];
    const beyondSleep: number[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const started = performance.now();
      const result = await handler({ rawPath: '/health/db' });
      const wall = performance.now() - started;
      if (result.statusCode !== 200) throw new Error(`bench: /health/db answered ${result.statusCode}`);
      const latencies = Object.values(JSON.parse(result.body).checks as Record<string, { latencyMs: number }>).map(
        (c) => c.latencyMs,
      );
      overheads.push(wall - Math.max(...latencies));
      beyondSleep.push(wall - SLOWEST_MS);
    }

    process.env.MIKO_HEALTH_SETTINGS = JSON.stringify({
      deadlineMs: 3000,
      checks: [check('fast', `${base}/fast`), check('hung', `${base}/hung`, HUNG_TIMEOUT_MS)],
    });
    let hungHandler!: typeof handler;
    jestFreeIsolatedRequire(() => {
      hungHandler = require('../lambda/health/handler').handler;
    });
    const hung: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      const result = await hungHandler({ rawPath: '/health/db' });
      if (result.statusCode !== 503) throw new Error(`bench: hung dependency answered ${result.statusCode}`);
      hung.push(performance.now() - started);
    }
    console.log = silence;
    printTable(
      `Health handler (/health/db, 3 parallel checks on 127.0.0.1, ${REQUESTS} requests)`,
      ['measure', 'value', 'target'],
      [
        [
          'overhead over the slowest check as it measured itself, p50',
          `${percentile(overheads, 50).toFixed(2)} ms`,
          '',
        ],
        [
          'overhead over the slowest check as it measured itself, p99',
          `${percentile(overheads, 99).toFixed(2)} ms`,
          '≤ 5 ms',
        ],
        [
          `wall time beyond the slowest dependency's ${SLOWEST_MS} ms sleep, p50 (incl. timer and socket)`,
          `${percentile(beyondSleep, 50).toFixed(2)} ms`,
          '',
        ],
        [
          `wall time beyond the slowest dependency's ${SLOWEST_MS} ms sleep, p99 (incl. timer and socket)`,
          `${percentile(beyondSleep, 99).toFixed(2)} ms`,
          '',
        ],
        [
          'machine load average (1 min) while measuring: tails grow with it',
          require('node:os').loadavg()[0].toFixed(1),
          '',
        ],
        [
          `answer with a hung dependency (check timeout ${HUNG_TIMEOUT_MS} ms), max of 5`,
          `${Math.max(...hung).toFixed(0)} ms`,
          `≈ ${HUNG_TIMEOUT_MS} ms, never the Lambda timeout`,
        ],
      ],
    );
  } finally {
    console.log = silence;
    dependency.closeAllConnections();
    dependency.close();
  }
}

/** Loads a fresh copy of a module (settings are read at cold start, like a new Lambda execution environment). */
function jestFreeIsolatedRequire(load: () => void): void {
  for (const id of Object.keys(require.cache)) if (id.includes('/lambda/health/')) delete require.cache[id];
  load();
}
