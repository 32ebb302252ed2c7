/**
 * Full synth of both environments (nag packs on) against an empty CDK app, both through the pinned CDK CLI,
 * the way a developer feels them on every `cdk diff`, and one environment (`npm run synth -- --env production`).
 * Targets: full ≤ 2× the empty app; one environment faster than both.
 *
 * A synth after the first reads CloudFormation Validate's findings of unchanged templates back
 * (lib/shared/cached-cloudformation-validate.ts); the cold row empties that cache first, as a fresh clone has it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENVIRONMENTS_CONTEXT_KEY } from '../lib/stage-ids';
import { VALIDATION_CACHE_DIR } from '../lib/shared/cached-cloudformation-validate';
import { median, printTable, timeCommand } from './measure';

const REPETITIONS = 3;
const CDK = join(__dirname, '..', 'node_modules', '.bin', 'cdk');
/** The app as cdk.json runs it, and the empty app run the same way (the same Node, the same TypeScript hook). */
const APP: string = JSON.parse(readFileSync(join(__dirname, '..', 'cdk.json'), 'utf8')).app;
const EMPTY_APP = APP.replace('bin/app.ts', 'bench/empty-app.ts');
/** The app through tsx instead of scripts/lib/register-typescript.cjs: the README's reason for the hook. */
const APP_VIA_TSX = APP.replace('-r ./scripts/lib/register-typescript.cjs', '--import tsx');

function synthSeconds(app: string, extra: readonly string[] = []): number {
  const outdir = mkdtempSync(join(tmpdir(), 'miko-bench-synth-'));
  try {
    return timeCommand(CDK, ['synth', '--quiet', '--no-notices', '--app', app, '--output', outdir, ...extra, '**']);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

export function benchSynth(): void {
  const empty: number[] = [];
  const cold: number[] = [];
  const full: number[] = [];
  const one: number[] = [];
  const viaTsx: number[] = [];
  // Interleaved, so a burst of load from elsewhere hits every kind alike.
  for (let i = 0; i < REPETITIONS; i++) {
    empty.push(synthSeconds(EMPTY_APP));
    rmSync(VALIDATION_CACHE_DIR, { recursive: true, force: true });
    cold.push(synthSeconds(APP));
    full.push(synthSeconds(APP));
    one.push(synthSeconds(APP, ['--context', `${ENVIRONMENTS_CONTEXT_KEY}=production`]));
    viaTsx.push(synthSeconds(APP_VIA_TSX));
  }
  const ratio = median(full) / median(empty);
  printTable(`Synth (median of ${REPETITIONS}, through the cdk CLI)`, ['app', 'wall time', 'ratio', 'target'], [
    ['empty CDK app', `${median(empty).toFixed(2)} s`, '1.00x', ''],
    ['full app, both environments, nag packs', `${median(full).toFixed(2)} s`, `${ratio.toFixed(2)}x`, '≤ 2x'],
    ['the same, validation cache empty (a fresh clone, CI)', `${median(cold).toFixed(2)} s`, `${(median(cold) / median(empty)).toFixed(2)}x`, ''],
    ['one environment (npm run synth -- --env production)', `${median(one).toFixed(2)} s`, `${(median(one) / median(empty)).toFixed(2)}x`, 'faster than both'],
    ['full app run through tsx instead of the TypeScript hook', `${median(viaTsx).toFixed(2)} s`, `${(median(viaTsx) / median(empty)).toFixed(2)}x`, ''],
  ]);
}
