/**
 * Full synth of both environments (nag packs on) against an empty CDK app through the pinned CDK CLI, as a developer
 * feels them on every `cdk diff`, and one environment. Later synths reuse CloudFormation Validate's findings for
 * unchanged templates (tools/synth/cached-cloudformation-validate.ts); the cold row empties that cache first.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENVIRONMENTS_CONTEXT_KEY } from '../lib/stage-ids';
import { VALIDATION_CACHE_DIR } from '../tools/synth/cached-cloudformation-validate';
import { measureCommand, median, printTable } from './measure';

const REPETITIONS = 3;
const CDK = join(__dirname, '..', 'node_modules', '.bin', 'cdk');
/** The app as cdk.json runs it, and the empty app run the same way (the same Node, the same TypeScript hook). */
const APP: string = JSON.parse(readFileSync(join(__dirname, '..', 'cdk.json'), 'utf8')).app;
const EMPTY_APP = APP.replace('bin/app.ts', 'bench/empty-app.ts');
/** The app through tsx instead of scripts/lib/register-typescript.cjs: the README's reason for the hook. */
const APP_VIA_TSX = APP.replace('-r ./scripts/lib/register-typescript.cjs', '--import tsx');

interface SynthTime {
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
}

function synthTime(app: string, extra: readonly string[] = []): SynthTime {
  const outdir = mkdtempSync(join(tmpdir(), 'miko-bench-synth-'));
  try {
    return measureCommand(CDK, ['synth', '--quiet', '--no-notices', '--app', app, '--output', outdir, ...extra, '**']);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

export function benchSynth(): void {
  const kinds = {
    empty: [] as SynthTime[],
    cold: [] as SynthTime[],
    full: [] as SynthTime[],
    one: [] as SynthTime[],
    viaTsx: [] as SynthTime[],
  };
  // Interleaved, so a burst of load from elsewhere hits every kind alike.
  for (let i = 0; i < REPETITIONS; i++) {
    kinds.empty.push(synthTime(EMPTY_APP));
    rmSync(VALIDATION_CACHE_DIR, { recursive: true, force: true });
    kinds.cold.push(synthTime(APP));
    kinds.full.push(synthTime(APP));
    kinds.one.push(synthTime(APP, ['--context', `${ENVIRONMENTS_CONTEXT_KEY}=production`]));
    kinds.viaTsx.push(synthTime(APP_VIA_TSX));
  }
  const wall = (kind: keyof typeof kinds) => median(kinds[kind].map((t) => t.wallSeconds));
  const row = (label: string, kind: keyof typeof kinds, target = ''): string[] => [
    label,
    `${wall(kind).toFixed(2)} s`,
    `${median(kinds[kind].map((t) => t.cpuSeconds)).toFixed(2)} s`,
    `${(wall(kind) / wall('empty')).toFixed(2)}x`,
    target,
  ];
  printTable(
    `Synth (median of ${REPETITIONS}, through the cdk CLI; CPU time is the CLI's and the app's together)`,
    ['app', 'wall time', 'CPU time', 'ratio', 'target'],
    [
      row('empty CDK app', 'empty'),
      row('full app, both environments, nag packs', 'full', '≤ 2x'),
      row('the same, validation cache empty (a fresh clone, CI)', 'cold'),
      row('one environment (npm run synth -- --env production)', 'one', 'faster than both'),
      row('full app run through tsx instead of the TypeScript hook', 'viaTsx'),
    ],
  );
}
