/**
 * Full synth of both environments (nag packs on) against an empty CDK app, both through the pinned CDK CLI,
 * the way a developer feels them on every `cdk diff`. Target: ratio ≤ 2.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, printTable, timeCommand } from './measure';

const REPETITIONS = 3;
const CDK = join(__dirname, '..', 'node_modules', '.bin', 'cdk');

function synthSeconds(app: string): number {
  const outdir = mkdtempSync(join(tmpdir(), 'miko-bench-synth-'));
  try {
    return timeCommand(CDK, ['synth', '--quiet', '--no-notices', '--app', app, '--output', outdir]);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

export function benchSynth(): void {
  const empty: number[] = [];
  const full: number[] = [];
  for (let i = 0; i < REPETITIONS; i++) {
    empty.push(synthSeconds('node --import tsx bench/empty-app.ts'));
    full.push(synthSeconds('node --import tsx bin/app.ts'));
  }
  const ratio = median(full) / median(empty);
  printTable(`Synth (median of ${REPETITIONS}, through the cdk CLI)`, ['app', 'wall time', 'ratio'], [
    ['empty CDK app', `${median(empty).toFixed(2)} s`, '1.00x'],
    ['full app, both environments, nag packs', `${median(full).toFixed(2)} s`, `${ratio.toFixed(2)}x (target ≤ 2x)`],
  ]);
}
