/**
 * `npm run bench [-- --section <name> ...]`: every benchmark section (or the named ones), one after another, printed
 * as tables from one run. Exit codes: 0 measured; 1 a measurement failed; 2 usage.
 */
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
import { benchPermissions } from './permissions';
import { benchMutation } from './mutation';
import { benchSynth } from './synth';
import { benchTelemetry } from './telemetry';
import { benchReleaseRouting } from './release-routing';
import { benchTests } from './tests';
import { benchTestProjects } from './test-projects';
import { Io, runCommand, runIfMain, UsageError } from '../scripts/lib/command';

type CloudAssembly = ReturnType<typeof synthesizedAssembly>;

/** In the order they run; the sections that read the app share one synth. */
const SECTIONS: Record<string, (app: () => CloudAssembly) => void | Promise<void>> = {
  synth: () => benchSynth(),
  tests: () => benchTests(),
  'test-projects': () => benchTestProjects(),
  lambdas: (app) => benchLambdas(app()),
  permissions: (app) => benchPermissions(app().directory),
  health: () => benchHealth(),
  telemetry: () => benchTelemetry(),
  ttd: (app) => printTimeToDetect(app(), ENVIRONMENT_NAMES),
  'release-routing': (app) => benchReleaseRouting(app()),
  browser: (app) => benchRepeatVisit(app()),
  backups: () => benchBackups(),
  'check-app': () => benchCheckApp(),
  mutation: () => benchMutation(),
};

const USAGE = `usage: npm run bench [-- --section <name> ...]
  Runs every benchmark section, or only the named ones, and writes docs/bench.md.
  --section <name>  one of: ${Object.keys(SECTIONS).join(', ')} (repeatable)
Exit codes: 0 measured; 1 a measurement failed; 2 usage.`;

const loadAverage = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');

async function runSections(names: readonly string[]): Promise<void> {
  console.log('# MiKO platform infrastructure benchmarks');
  console.log(`node ${process.version}, ${cpus().length} cores, ${new Date().toISOString()}`);
  // The machine is shared: a high load average makes every wall time below pessimistic.
  console.log(`load average at start (1/5/15 min): ${loadAverage()}`);
  let assembly: CloudAssembly | undefined;
  const app = () => (assembly ??= synthesizedAssembly());
  for (const name of names) await SECTIONS[name](app);
  console.log(`\nload average at the end (1/5/15 min): ${loadAverage()}`);
}

export function main(argv: string[], io: Io): Promise<number> {
  const spec = { name: 'bench', usage: USAGE, options: { section: { type: 'string' as const, multiple: true } } };
  return runCommand(spec, argv, io, async (values) => {
    const chosen = (values.section as string[] | undefined) ?? Object.keys(SECTIONS);
    const unknown = chosen.filter((name) => !(name in SECTIONS));
    if (unknown.length > 0) throw new UsageError(`unknown section ${unknown.join(', ')}`);
    // A partial run prints its tables but leaves docs/bench.md, the record of a whole run, as it is.
    if (values.section) await runSections(chosen);
    else await withReportFile('bench', 'npm run bench', () => runSections(chosen));
    return 0;
  });
}

runIfMain(module, main);
