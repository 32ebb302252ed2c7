/**
 * Runbooks that work at 3 a.m.: each opens with at most three lines saying what to run first and how to know it
 * worked; the ones a game day rehearses carry that command in a `sh gameday` block; every alarm of both
 * environments pages with a runbook that exists.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { runbookOf } from '../../scripts/gameday';
import { runbookCommands } from '../../scripts/gameday/runbook-commands';
import { SCENARIOS } from '../../scripts/gameday/scenarios';
import { alarmDefinitions } from '../../tools/stand-ins/alarm-definitions';
import { assemblyDir } from '../support/assembly';

const REPO = join(__dirname, '../..');
const RUNBOOKS = join(REPO, 'docs/runbooks');
const runbooks = readdirSync(RUNBOOKS).filter((f) => f.endsWith('.md') && f !== 'README.md');

describe('runbooks', () => {
  it.each(runbooks)('%s opens with at most three lines: a command to run and how to know it worked', (file) => {
    const text = readFileSync(join(RUNBOOKS, file), 'utf8');
    const opening = text.split('\n\n')[1].split('\n');
    expect(opening.length).toBeLessThanOrEqual(3);
    expect(opening.join(' ')).toMatch(/`[^`]+`/);
    expect(opening.join(' ')).toMatch(/worked|is over when|fixed when/);
  });

  it.each(SCENARIOS.map((s) => [s.name, s.runbook]))(
    '%s rehearses %s, whose gameday block opens with its first command',
    (_, runbook) => {
      const text = readFileSync(join(REPO, runbook), 'utf8');
      const commands = runbookCommands(text);
      expect(commands.length).toBeGreaterThan(0);
      // The opening lines name the block's key command, so what is read first is what is rehearsed.
      const opening = text.split('\n\n')[1];
      expect(commands.some((c) => opening.includes(c.replace(/ \|\| true$/, '')))).toBe(true);
    },
  );

  it('reads sh gameday blocks only, joining continued lines and skipping comments', () => {
    const md = '```sh\nnot this\n```\n```sh gameday\n# a comment\nnpm run a -- \\\n  --b\n\nnpm run c\n```\n';
    expect(runbookCommands(md)).toEqual(['npm run a -- --b', 'npm run c']);
  });

  it('pages every alarm of both environments with a runbook that exists', () => {
    const assembly = new CloudAssembly(assemblyDir());
    const alarms = (['staging', 'production'] as const).flatMap((env) => alarmDefinitions(assembly, env));
    expect(alarms.length).toBeGreaterThan(60);
    const missing = alarms.filter((a) => !existsSync(join(REPO, runbookOf(a))));
    expect(missing.map((a) => a.AlarmName)).toEqual([]);
    const of = (suffix: string) => runbookOf(alarms.find((a) => a.AlarmName === `miko-production-${suffix}`)!);
    expect(of('critical-site-down')).toBe('docs/runbooks/site-down.md');
    expect(of('critical-release-asset-missing')).toBe('docs/runbooks/rollback.md');
    expect(of('critical-database-check-failing')).toBe('docs/runbooks/dependency-down.md');
    expect(of('warning-backup-missing')).toBe('docs/runbooks/restore-database.md');
  });
});
