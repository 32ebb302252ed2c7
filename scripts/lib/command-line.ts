/**
 * What the operator commands share on the command line: where they print, and the step from argv to options
 * (`--help` prints the usage and exits 0; a bad flag prints the error and the usage and exits 2).
 */

export interface Io {
  readonly print: (line: string) => void;
  readonly printError: (line: string) => void;
}

export const CONSOLE_IO: Io = { print: console.log, printError: console.error };

/** The options `parse` makes of argv, or the exit code when there is nothing more to do (help: 0, usage: 2). */
export function optionsOrExit<T>(command: string, usage: string, parse: () => T | 'help', io: Io): T | number {
  try {
    const parsed = parse();
    if (parsed !== 'help') return parsed;
    io.print(usage);
    return 0;
  } catch (error) {
    io.printError(`${command}: ${(error as Error).message}\n${usage}`);
    return 2;
  }
}
