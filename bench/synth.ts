/**
 * Full synth of both environments (nag packs on) against an empty CDK app, both through the pinned CDK CLI,
 * the way a developer feels them on every `cdk diff`, and one environment (`npm run synth -- --env production`).
 * Targets: full ≤ 2× the empty app; one environment faster than both.
 *
 * A synth after the first reads CloudFormation Validate's findings of unchanged templates back
 * (lib/shared/cached-cloudformation-validate.ts); the cold row empties that cache first, as a fresh clone has it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENVIRONMENTS_CONTEXT_KEY } from '../lib/stage-ids';
import { VALIDATION_CACHE_DIR } from '../lib/shared/cached-cloudformation-validate';
import { median, printTable, timeCommand } from './measure';

const REPETITIONS = 3;
const CDK = join(__dirname, '..', 'node_modules', '.bin', 'cdk');

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
  // Interleaved, so a burst of load from elsewhere hits every kind alike.
  for (let i = 0; i < REPETITIONS; i++) {
    empty.push(synthSeconds('node --import tsx bench/empty-app.ts'));
    rmSync(VALIDATION_CACHE_DIR, { recursive: true, force: true });
    cold.push(synthSeconds('node --import tsx bin/app.ts'));
    full.push(synthSeconds('node --import tsx bin/app.ts'));
    one.push(synthSeconds('node --import tsx bin/app.ts', ['--context', `${ENVIRONMENTS_CONTEXT_KEY}=production`]));
  }
  const ratio = median(full) / median(empty);
  printTable(`Synth (median of ${REPETITIONS}, through the cdk CLI)`, ['app', 'wall time', 'ratio', 'target'], [
    ['empty CDK app', `${median(empty).toFixed(2)} s`, '1.00x', ''],
    ['full app, both environments, nag packs', `${median(full).toFixed(2)} s`, `${ratio.toFixed(2)}x`, '≤ 2x'],
    ['the same, validation cache empty (a fresh clone, CI)', `${median(cold).toFixed(2)} s`, `${(median(cold) / median(empty)).toFixed(2)}x`, ''],
    ['one environment (npm run synth -- --env production)', `${median(one).toFixed(2)} s`, `${(median(one) / median(empty)).toFixed(2)}x`, 'faster than both'],
  ]);
}
