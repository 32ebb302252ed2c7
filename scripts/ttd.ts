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

withReportFile('ttd', 'npm run ttd', () => {
  const assembly = synthesizedAssembly();
  printTimeToDetect(assembly, ENVIRONMENT_NAMES);
  for (const env of ENVIRONMENT_NAMES) {
    const monitoring = environmentStacks(assembly, env).find((s) => s.stackName === `${STAGE_IDS[env]}-Monitoring`)!;
    printTable(
      `Levers and their effect on time to detect: ${monitoring.stackName}`,
      ['lever', 'alarm', 'now (s)', 'with the lever (s)'],
      detectionLevers(monitoring.template).map((l) => [l.lever, l.alarm, String(l.now), String(l.withLever)]),
    );
  }
}).catch((error) => {
  console.error(`ttd: ${(error as Error).message}`);
  process.exitCode = 1;
});
