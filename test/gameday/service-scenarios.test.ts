/**
 * The game days of secrets and dependencies, end to end on the stand-ins (see site-scenarios.test.ts): a leak is
 * over only when the leaked values are refused, a provider outage only when it answers again with nothing of ours
 * rolled back.
 */
import { rehearse } from './rehearse';

describe('game day: secrets and dependencies', () => {
  it('leaked-credential: rotate --incident leaves every leaked value refused', async () => {
    const { code, stdout, report } = await rehearse('leaked-credential');
    expect(code).toBe(0);
    expect(stdout).toMatch(/\$ npm run rotate -- --env \$ENV --incident → exit 0/);
    expect(stdout).toMatch(
      /RECOVERED: leaked value refused: Supabase key revoked, Google key deleted, probe token answered 404/,
    );
    expect(report).toMatch(/^\| leaked-credential \| production \| .* \| none \| - \| - s \| 1 \(.* \| recovered \|$/m);
  });

  it('leaked-credential with one rotation (no --incident) leaves the leaked value valid and fails', async () => {
    const { code, stdout } = await rehearse('leaked-credential', (md) =>
      md.replace('npm run rotate -- --env $ENV --incident\n', 'npm run rotate -- --env $ENV --all\n'),
    );
    expect(code).toBe(1);
    expect(stdout).toMatch(/NOT RECOVERED: leaked value still valid: Supabase secret key, Google API key, probe token/);
  });

  it('dependency-down: the database alarm pages with dependency-down.md; waiting it out, nothing rolled back, recovers', async () => {
    const { code, stdout } = await rehearse('dependency-down');
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /PAGE critical miko-production-critical-database-check-failing: .* Runbook: docs\/runbooks\/dependency-down\.md/,
    );
    expect(stdout).toMatch(/\/health\/db\s+200 healthy\s+supabase-rest=pass/); // after the outage, as the wait ends
    expect(stdout).toMatch(/RECOVERED: Supabase answers again; release \S+ untouched/);
  });

  it('dependency-down with a rollback in the runbook (the wrong move: nothing of ours is broken) fails', async () => {
    const { code, stdout } = await rehearse('dependency-down', (md) =>
      md.replace('npm run health -- --env $ENV --wait 900\n', 'npm run rollback -- --env $ENV --release previous\n'),
    );
    expect(code).toBe(1);
    expect(stdout).toMatch(/no kept release is older than the live one|NOT RECOVERED/);
  });
});
