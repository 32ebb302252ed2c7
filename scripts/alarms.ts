/**
 * `npm run alarms`: writes docs/alarms.md, every alarm of both environments with its severity, condition, time to
 * detect and runbook, from the app synthesized in-process (or `--assembly cdk.out`).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENVIRONMENT_NAMES } from '../lib/config';
import { alarmRows, alarmsMarkdown } from './lib/alarm-table';
import { Io, runCommand, runIfMain } from './lib/command';
import { environmentStacks } from './lib/read-assembly';
import { synthesizedAssembly } from './lib/synthesized';

export const ALARMS_FILE = join(__dirname, '..', 'docs', 'alarms.md');

const USAGE = `usage: npm run alarms [-- --assembly <cdk.out>]
  Writes docs/alarms.md: every alarm of both environments (name, severity, condition, time to detect, runbook).
  --assembly <dir>  read a synthesized assembly instead of synthesizing (refused when older than the code)
Exit codes: 0 written; 1 the app did not synthesize or an alarm has no name or runbook; 2 usage.`;

/** The file's text for an assembly: both environments, in config order. */
export function alarmsDocument(assembly: Parameters<typeof environmentStacks>[0]): string {
  return alarmsMarkdown(
    ENVIRONMENT_NAMES.map((env) => ({ name: env, rows: alarmRows(environmentStacks(assembly, env)) })),
  );
}

export function main(argv: string[], io: Io): Promise<number> {
  const spec = { name: 'alarms', usage: USAGE, options: { assembly: { type: 'string' as const } } };
  return runCommand(spec, argv, io, (values) => {
    const assembly = synthesizedAssembly(values.assembly as string | undefined);
    writeFileSync(ALARMS_FILE, alarmsDocument(assembly));
    io.out(`alarms: wrote ${ALARMS_FILE}`);
    return 0;
  });
}

runIfMain(module, main);
