/** `npm run bench`: every benchmark section, one after another, printed as tables from one run. */
import { cpus, loadavg } from 'node:os';
import { ENVIRONMENT_NAMES } from '../lib/config';
import { printTimeToDetect } from '../scripts/lib/time-to-detect-table';
import { withReportFile } from '../scripts/lib/report-file';
import { synthesizedAssembly } from '../scripts/lib/synthesized';
import { benchBackups } from './backups';
import { benchRepeatVisit } from './browser';
import { benchCheckApp } from './check-app';
import { benchHealth } from './health';
import { benchLambdas } from './lambdas';
import { benchMutation } from './mutation';
import { benchSynth } from './synth';
import { benchTelemetry } from './telemetry';
import { benchTests } from './tests';

async function main(): Promise<void> {
  console.log('# MiKO platform infrastructure benchmarks');
  console.log(`node ${process.version}, ${cpus().length} cores, ${new Date().toISOString()}`);
  // The machine is shared: a high load average makes every wall time below pessimistic.
  console.log(
    `load average at start (1/5/15 min): ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' / ')}`,
  );
  benchSynth();
  benchTests();
  const assembly = synthesizedAssembly();
  benchLambdas(assembly);
  await benchHealth();
  await benchTelemetry();
  printTimeToDetect(assembly, ENVIRONMENT_NAMES);
  await benchRepeatVisit(assembly);
  await benchBackups();
  await benchCheckApp();
  benchMutation();
  console.log(
    `\nload average at the end (1/5/15 min): ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' / ')}`,
  );
}

withReportFile('bench', 'npm run bench', main).catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
