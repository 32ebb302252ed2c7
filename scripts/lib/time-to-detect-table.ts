/** Prints the time-to-detect table of each environment's Monitoring stack (for `npm run ttd` and the bench). */
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { printTable } from '../../bench/measure';
import type { EnvironmentName } from '../../lib/config';
import { STAGE_IDS } from '../../lib/stage-ids';
import { settleWindow } from '../../tools/analysis/release-alarms';
import { clientTimeToDetect } from '../../tools/analysis/client-time-to-detect';
import { browserCheckTimeToDetect } from '../verify/browser-check';
import { canaryCheckAbortTime } from '../verify/canary-check';
import { backupTimeToDetect, canaryAbortTime, timeToDetect } from '../../tools/analysis/time-to-detect';

export function printTimeToDetect(assembly: CloudAssembly, envs: readonly EnvironmentName[]): void {
  const stacks = assembly.nestedAssemblies.flatMap((nested) => nested.nestedAssembly.stacks);
  for (const envName of envs) {
    const stack = stacks.find((s) => s.stackName === `${STAGE_IDS[envName]}-Monitoring`);
    if (!stack) throw new Error(`no ${STAGE_IDS[envName]}-Monitoring stack in the assembly`);
    const rows = timeToDetect(stack.template);
    printTable(
      `Time to detect, worst case: ${stack.stackName}`,
      ['critical alarm', 'seconds', 'how'],
      rows.map((r) => [r.alarm, r.seconds.toFixed(0), r.how]),
    );
    const telemetry = stacks.find((s) => s.stackName === `${STAGE_IDS[envName]}-Telemetry`);
    const trusted = browserCheckTimeToDetect();
    printTable(
      `Time to detect, a release whose JavaScript throws on load (trusted path, target ≤ 60 s): ${stack.stackName}`,
      ['path', 'seconds', 'how'],
      [[trusted.alarm, trusted.seconds.toFixed(0), trusted.how]],
    );
    if (telemetry) {
      const client = clientTimeToDetect(stack.template, telemetry.template);
      printTable(
        `Time to detect, browser reports (warnings only: anyone can send them; target ≤ 60 s): ${stack.stackName}`,
        ['path', 'seconds', 'how'],
        client.map((r) => [r.alarm, r.seconds.toFixed(1), r.how]),
      );
    }
    const canary = [...canaryAbortTime(stack.template), ...canaryCheckAbortTime(stack.template)];
    if (canary.length > 0)
      printTable(
        `Time to stop a bad canary (target ≤ 60 s): ${stack.stackName}`,
        ['path', 'seconds', 'how'],
        canary.map((r) => [r.alarm, r.seconds.toFixed(0), r.how]),
      );
    const backups = backupTimeToDetect(stack.template);
    printTable(
      `Time to detect, backups (warnings; target ≤ 1 h after the condition): ${stack.stackName}`,
      ['warning', 'seconds', 'how'],
      backups.map((r) => [r.alarm, r.seconds.toFixed(0), r.how]),
    );
    const window = settleWindow(stack.template);
    console.log(
      `verify's settle window after a deploy: ${window.seconds.toFixed(0)} s (the slowest alarm a release can set off: ${window.setBy.alarm})`,
    );
  }
}
