/**
 * The shape of every `npm run` command: `node:util` parseArgs, `--help` (usage and exit codes, exit 0), a bad flag
 * or value gives the usage on stderr and exit 2, and `main(argv, io)` returns the exit code so tests run it in
 * process. Copy scripts/alarms.ts to add a command.
 */
import { parseArgs, ParseArgsConfig } from 'node:util';
import { ENVIRONMENT_NAMES, EnvironmentName } from '../../lib/config/schema';

export interface Io {
  out(line: string): void;
  err(line: string): void;
}

export const processIo: Io = { out: (line) => console.log(line), err: (line) => console.error(line) };

export const EXIT_USAGE = 2;

/** Thrown for input the flags' types cannot catch (a value out of range, two flags that exclude each other). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** `--env` where a command needs it: the environment it names, or a UsageError naming the value given and the fix. */
export function environmentFlag(value: unknown): EnvironmentName {
  if ((ENVIRONMENT_NAMES as readonly unknown[]).includes(value)) return value as EnvironmentName;
  const given = value === undefined ? 'missing' : `"${String(value)}"`;
  throw new UsageError(`--env is ${given}. Fix: --env ${ENVIRONMENT_NAMES.join(' or --env ')}.`);
}

/** `--env` where it may be left out (the command then covers every environment): undefined, or as environmentFlag. */
export function optionalEnvironmentFlag(value: unknown): EnvironmentName | undefined {
  return value === undefined ? undefined : environmentFlag(value);
}

export type FlagValues = Record<string, string | boolean | string[] | boolean[] | undefined>;

export interface CommandSpec {
  /** As typed after `npm run`, e.g. "alarms". */
  readonly name: string;
  /** Shown by --help and after a usage error: the synopsis, the flags and the exit codes. */
  readonly usage: string;
  readonly options: NonNullable<ParseArgsConfig['options']>;
  readonly allowPositionals?: boolean;
}

export async function runCommand(
  spec: CommandSpec,
  argv: readonly string[],
  io: Io,
  run: (values: FlagValues, positionals: string[]) => number | Promise<number>,
): Promise<number> {
  let parsed: { values: FlagValues; positionals: string[] };
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { ...spec.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: spec.allowPositionals ?? false,
      strict: true,
    }) as { values: FlagValues; positionals: string[] };
  } catch (error) {
    io.err(`${spec.name}: ${(error as Error).message}`);
    io.err(spec.usage);
    return EXIT_USAGE;
  }
  if (parsed.values.help) {
    io.out(spec.usage);
    return 0;
  }
  try {
    return await run(parsed.values, parsed.positionals);
  } catch (error) {
    io.err(`${spec.name}: ${(error as Error).message}`);
    if (!(error instanceof UsageError)) return 1;
    io.err(spec.usage);
    return EXIT_USAGE;
  }
}

/** Runs `main` when the file is the process's entry point, and exits with its code. */
export function runIfMain(entry: NodeModule, main: (argv: string[], io: Io) => number | Promise<number>): void {
  if (require.main === entry)
    Promise.resolve(main(process.argv.slice(2), processIo)).then((code) => (process.exitCode = code));
}
