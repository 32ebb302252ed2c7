/**
 * `npm run ttd`: synthesizes the app once (nag packs on) and prints each critical alarm's worst-case time to detect,
 * then what the cost levers would change. Also written to docs/ttd.md (README links it).
 */
import { ENVIRONMENT_NAMES } from '../lib/config';
import { printTable } from '../bench/measure';
import { STAGE_IDS } from '../lib/stage-ids';
import { detectionLevers } from './lib/detection-levers';
import { withReportFile } from './lib/report-file';
import { printTimeToDetect } from './lib/time-to-detect-table';
import { environmentStacks } from './lib/read-assembly';
import { synthesizedAssembly } from './lib/synthesized';
import { Io, runCommand, runIfMain } from './lib/command';

const USAGE = `usage: npm run ttd [-- --assembly <cdk.out>]
  Each critical alarm's worst-case time to detect and what the cost levers would change; writes docs/ttd.md.
Exit codes: 0 printed; 1 the app did not synthesize or the model found no alarm; 2 usage.`;

export function main(argv: string[], io: Io): Promise<number> {
  const spec = { name: 'ttd', usage: USAGE, options: { assembly: { type: 'string' as const } } };
  return runCommand(spec, argv, io, async (values) => {
    await withReportFile('ttd', 'npm run ttd', () => printReport(values.assembly as string | undefined));
    return 0;
  });
}

/** Prints the report (console.log, which withReportFile also writes to docs/ttd.md). */
export function printReport(assemblyDir?: string): void {
  const assembly = synthesizedAssembly(assemblyDir);
  printTimeToDetect(assembly, ENVIRONMENT_NAMES);
  for (const env of ENVIRONMENT_NAMES) {
    const monitoring = environmentStacks(assembly, env).find((s) => s.stackName === `${STAGE_IDS[env]}-Monitoring`)!;
    printTable(
      `Levers and their effect on time to detect: ${monitoring.stackName}`,
      ['lever', 'alarm', 'now (s)', 'with the lever (s)'],
      detectionLevers(monitoring.template).map((l) => [l.lever, l.alarm, String(l.now), String(l.withLever)]),
    );
  }
}

runIfMain(module, main);
