/**
 * Runs `npm run gameday -- --auto` in its own process (one process, one world: the health handler reads its
 * settings once per process, as a Lambda container does), on the cached synthesized app and a fast clock, with
 * the report row written to a temporary file. `edit` rewrites the scenario's runbook first, to prove a broken
 * runbook fails its rehearsal.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scenarioNamed } from '../../scripts/gameday/scenarios';
import { assemblyDir } from '../support/assembly';
import { runScript, ScriptOutcome } from '../support/run-script';
import { testTempDir } from '../support/temp-dir';

/** 50x: a 10 s alarm period lasts 0.2 s, a 60 s one 1.2 s; the report states the factor. */
export const TEST_SCALE = '50';

export async function rehearse(
  scenario: string,
  edit?: (runbook: string) => string,
): Promise<ScriptOutcome & { report: string }> {
  const dir = testTempDir(`miko-gameday-${scenario}-`);
  const report = join(dir, 'gameday.md');
  const args = ['--env', 'production', '--scenario', scenario, '--auto', '--scale', TEST_SCALE];
  if (edit) {
    const runbook = join(dir, 'runbook.md');
    const original = readFileSync(join(__dirname, '../..', scenarioNamed(scenario)!.runbook), 'utf8');
    const edited = edit(original);
    expect(edited).not.toBe(original);
    writeFileSync(runbook, edited);
    args.push('--runbook', runbook);
  }
  const outcome = await runScript('scripts/gameday.ts', [...args, '--assembly', assemblyDir(), '--report', report], {
    timeoutMs: 90_000,
  });
  let written = '';
  try {
    written = readFileSync(report, 'utf8');
  } catch {
    // No report: the outcome's output says why.
  }
  return { ...outcome, report: written };
}
