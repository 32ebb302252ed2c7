/**
 * Runs `npm run gameday -- --auto` for several scenarios in its own process (each on fresh stand-ins), on the
 * cached synthesized app and a fast clock, the report rows written to a temporary file. A scenario's `edit`
 * rehearses a rewritten copy of its runbook, to prove a broken runbook fails.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scenarioNamed } from '../../scripts/gameday/scenarios';
import { assemblyDir } from '../support/assembly';
import { runScript } from '../support/run-script';
import { testTempDir } from '../support/temp-dir';

/** 50x: a 10 s alarm period lasts 0.2 s, a 60 s one 1.2 s; the report states the factor. */
export const TEST_SCALE = '50';

export interface Rehearsed {
  readonly code: number;
  /** Each scenario's own output, by name. */
  readonly output: Record<string, string>;
  readonly report: string;
}

export async function rehearse(
  scenarios: Record<string, ((runbook: string) => string) | undefined>,
): Promise<Rehearsed> {
  const dir = testTempDir('miko-gameday-');
  const report = join(dir, 'gameday.md');
  const args = [
    '--env',
    'production',
    '--auto',
    '--scale',
    TEST_SCALE,
    '--assembly',
    assemblyDir(),
    '--report',
    report,
  ];
  for (const [name, edit] of Object.entries(scenarios)) {
    args.push('--scenario', name);
    if (!edit) continue;
    const original = readFileSync(join(__dirname, '../..', scenarioNamed(name)!.runbook), 'utf8');
    const edited = edit(original);
    expect(edited).not.toBe(original);
    writeFileSync(join(dir, `${name}.md`), edited);
    args.push('--runbook', `${name}=${join(dir, `${name}.md`)}`);
  }
  const outcome = await runScript('scripts/gameday.ts', args, { timeoutMs: 240_000 });
  const output: Record<string, string> = {};
  for (const part of outcome.stdout.split(/^(?=game day: )/m)) {
    const name = /^game day: ([a-z-]+) in /.exec(part)?.[1];
    if (name) output[name] = part;
  }
  let written = '';
  try {
    written = readFileSync(report, 'utf8');
  } catch {
    // No report: the output says why.
  }
  return { code: outcome.code, output, report: written };
}
