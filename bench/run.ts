/**
 * `npm run bench [-- --section <name> ...]`: every benchmark section (or the named ones), one after another, printed
 * as tables and written to docs/bench.md section by section (bench/report.ts). Exit codes: 0 measured; 1 a measurement failed; 2 usage.
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { ENVIRONMENT_NAMES } from '../lib/config';
import { printTimeToDetect } from '../scripts/lib/time-to-detect-table';
import { captureLines } from '../scripts/lib/report-file';
import { readSections, renderSections, SectionBlock } from './report';
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
  Runs every benchmark section, or only the named ones, and writes their blocks of docs/bench.md.
  --section <name>  one of: ${Object.keys(SECTIONS).join(', ')} (repeatable)
Exit codes: 0 measured; 1 a measurement failed; 2 usage.`;

const loadAverage = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');

const REPORT_FILE = join(__dirname, '..', 'docs', 'bench.md');

/** Runs the sections, printing their tables, and writes each one's block of docs/bench.md as it ends. */
async function runSections(names: readonly string[]): Promise<void> {
  console.log(`# MiKO platform infrastructure benchmarks: node ${process.version}, ${cpus().length} cores`);
  let assembly: CloudAssembly | undefined;
  const app = () => (assembly ??= synthesizedAssembly());
  for (const name of names) {
    // The machine is shared: a high load average makes every wall time in the block pessimistic.
    const stamp = `${new Date().toISOString()}, node ${process.version}, load average ${loadAverage()}`;
    const lines = await captureLines(() => SECTIONS[name](app));
    const block: SectionBlock = { name, stamp: `${stamp} → ${loadAverage()}`, lines };
    writeFileSync(REPORT_FILE, renderSections(Object.keys(SECTIONS), readSections(REPORT_FILE), [block]));
  }
}

export function main(argv: string[], io: Io): Promise<number> {
  const spec = { name: 'bench', usage: USAGE, options: { section: { type: 'string' as const, multiple: true } } };
  return runCommand(spec, argv, io, async (values) => {
    const chosen = (values.section as string[] | undefined) ?? Object.keys(SECTIONS);
    const unknown = chosen.filter((name) => !(name in SECTIONS));
    if (unknown.length > 0) throw new UsageError(`unknown section ${unknown.join(', ')}`);
    await runSections(chosen);
    return 0;
  });
}

runIfMain(module, main);
