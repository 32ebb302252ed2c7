/**
 * Runs the PostgreSQL client tools (pg_dump, pg_dumpall, pg_restore, psql) as child processes. Their stdout is a
 * stream (a dump goes straight to the vault, never to disk); a non-zero exit becomes an error carrying the tool's
 * last stderr lines, which libpq writes without the password (it travels in PGPASSWORD, never on the command line).
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';

/** Where Debian's and the postgres image's binaries live: /usr/lib/postgresql/<major>/bin, newest major first. */
export function findPgBin(explicit = process.env.PG_BIN): string {
  if (explicit) {
    if (!existsSync(join(explicit, 'pg_dump')))
      throw new Error(`PG_BIN=${explicit} has no pg_dump. Fix: point PG_BIN at a PostgreSQL bin directory.`);
    return explicit;
  }
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root)
    ? readdirSync(root)
        .filter((d) => existsSync(join(root, d, 'bin', 'pg_dump')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (majors.length === 0)
    throw new Error(
      'no PostgreSQL client tools found under /usr/lib/postgresql/*/bin. Fix: apt-get install -y postgresql (or set PG_BIN).',
    );
  return join(root, majors[0], 'bin');
}

export interface RunningTool {
  readonly stdout: Readable;
  /** Resolves when the tool exits 0; rejects with its stderr tail otherwise. */
  readonly done: Promise<void>;
  kill(): void;
}

const STDERR_TAIL = 4000;

/**
 * Postgres quotes row contents in DETAIL ("Key (email)=(…) already exists") and CONTEXT ("COPY leads, line 3:
 * "…"") lines: patient data, which must never reach a log. Those lines are dropped; the ERROR line says what failed.
 */
export function redactToolOutput(text: string): string {
  return text
    .split('\n')
    .filter(
      (line) =>
        !/^\s*(pg_restore: (detail|context|hint)?\s*)?(DETAIL|CONTEXT|HINT):/i.test(line) &&
        !/^pg_restore: (detail|context): /i.test(line),
    )
    .map((line) => line.replace(/(, line \d+)(: .*)$/, '$1: [row redacted]'))
    .join('\n')
    .trim();
}

export function startTool(
  pgBin: string,
  tool: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  options: { stdin?: 'ignore' | 'pipe' } = {},
): RunningTool {
  // Only the libpq variables and a PATH: the job's own environment (AWS credentials' container URI, …) stays out.
  const child = spawn(join(pgBin, tool), args, {
    env: { PATH: process.env.PATH, LANG: 'C.UTF-8', ...env },
    stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_TAIL);
  });
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else
        reject(new Error(`${tool} failed (${signal ?? `exit ${code}`}): ${redactToolOutput(stderr) || 'no message'}`));
    });
  });
  // Piped at once: Node drops the stdout of a tool that exits before its reader begins (a small roles dump), which
  // would store an empty part. The pipe keeps backpressure: a slow reader still pauses the tool.
  const stdout = child.stdout!.pipe(new PassThrough());
  return { stdout, done, kill: () => child.kill('SIGTERM') };
}

/** Runs a tool to completion and returns its stdout and stderr (for short outputs: versions, psql replays). */
export async function runTool(
  pgBin: string,
  tool: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ stdout: string; stderr: string }> {
  const child = spawn(join(pgBin, tool), args, {
    env: { PATH: process.env.PATH, LANG: 'C.UTF-8', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0)
    throw new Error(`${tool} failed (exit ${code}): ${redactToolOutput(stderr.slice(-STDERR_TAIL)) || 'no message'}`);
  return { stdout, stderr };
}
