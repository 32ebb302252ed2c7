/**
 * Runs one of the repository's TypeScript commands in its own process, as `npm run <command>` does (node with the
 * repository's TypeScript hook, scripts/lib/register-typescript.cjs), and says how it ended. For the tests about the command
 * line itself (exit code, what reaches stdout and stderr); everything else calls the command's function in process.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import type { Io } from '../../scripts/lib/command';

const REPO_ROOT = join(__dirname, '..', '..');

/** Node's arguments before a .ts file, as in package.json's scripts and cdk.json's app. */
export const TYPESCRIPT_NODE_ARGS: readonly string[] = [
  '-r',
  join(REPO_ROOT, 'scripts', 'lib', 'register-typescript.cjs'),
];

export interface ScriptOutcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunScriptOptions {
  /** The command's whole environment (default: this process's). */
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutMs?: number;
}

/** `script` relative to the repository root, e.g. 'scripts/verify.ts'. */
export function runScript(
  script: string,
  args: readonly string[],
  options: RunScriptOptions = {},
): Promise<ScriptOutcome> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...TYPESCRIPT_NODE_ARGS, join(REPO_ROOT, script), ...args],
      { cwd: REPO_ROOT, env: options.env ?? process.env, timeout: options.timeoutMs ?? 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** A command's exported main: what its process runs, printing through io, resolving to the exit code. */
export type CommandMain = (argv: string[], io: Io) => Promise<number>;

/**
 * Runs a command's main in this process with `env` added for the call (its SDK clients read endpoints and
 * credentials there): runScript's outcome without a Node start and a TypeScript load per case.
 */
export async function runMain(main: CommandMain, args: string[], env: NodeJS.ProcessEnv = {}): Promise<ScriptOutcome> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  const stdout: string[] = [];
  const stderr: string[] = [];
  try {
    const code = await main(args, { out: (text) => stdout.push(text), err: (text) => stderr.push(text) });
    return {
      code,
      stdout: stdout.map((text) => `${text}\n`).join(''),
      stderr: stderr.map((text) => `${text}\n`).join(''),
    };
  } finally {
    process.env = saved;
  }
}
