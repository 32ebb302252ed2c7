/** docs/alarms.md against the synthesized app, and every alarm's runbook against docs/runbooks. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { ALARMS_FILE, alarmsDocument } from '../../scripts/alarms';
import { alarmRows } from '../../scripts/lib/alarm-table';
import { environmentStacks } from '../../scripts/lib/read-assembly';
import { assemblyDir } from '../support/assembly';

const REPO_ROOT = join(__dirname, '..', '..');

describe('the alarms of both environments', () => {
  const assembly = new CloudAssembly(assemblyDir());

  it('are listed in docs/alarms.md as the templates have them', () => {
    // Fix when this fails: npm run alarms
    expect(readFileSync(ALARMS_FILE, 'utf8')).toBe(alarmsDocument(assembly));
  });

  it.each(['staging', 'production'] as const)('%s: every alarm links a runbook file that exists', (env) => {
    const rows = alarmRows(environmentStacks(assembly, env));
    expect(rows.length).toBeGreaterThan(30);
    const missing = rows.filter((row) => !existsSync(join(REPO_ROOT, row.runbook)));
    expect(missing.map((row) => `${row.name} → ${row.runbook}`)).toEqual([]);
    expect(rows.filter((row) => row.severity === 'critical').every((row) => row.detectSeconds !== undefined)).toBe(
      true,
    );
  });
});
