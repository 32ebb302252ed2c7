/**
 * Every game day, end to end on the stand-ins, in one process: the fault is injected, the synthesized alarm pages
 * with its runbook, the runbook's own `sh gameday` commands run, and recovery is proven (verify against the live
 * release, the critical alarms OK, the scenario's own check).
 */
import { rehearse, Rehearsed, TEST_SCALE } from './rehearse';

let run: Rehearsed;
beforeAll(async () => {
  run = await rehearse(
    Object.fromEntries(
      ['site-down', 'bad-release', 'deleted-release', 'dependency-down', 'leaked-credential', 'lost-database'].map(
        (name) => [name, undefined],
      ),
    ),
  );
}, 240_000);

describe('game days, each runbook as written', () => {
  it('every scenario recovers, and the command exits 0', () => {
    for (const [name, output] of Object.entries(run.output)) {
      expect([name, output]).toEqual([name, expect.stringMatching(/RECOVERED: /)]);
      // The in-process health handler's log lines go to the world's sink, as a Lambda's go to CloudWatch Logs.
      expect(output).not.toMatch(/"path":"\/health/);
    }
    expect(Object.keys(run.output)).toHaveLength(6);
    expect(run.code).toBe(0);
  });

  it('bad-release: the asset alarm pages with rollback.md; the rollback brings the good release back', () => {
    const out = run.output['bad-release'];
    expect(out).toMatch(
      /PAGE critical miko-production-critical-release-asset-missing: .* Runbook: docs\/runbooks\/rollback\.md/,
    );
    expect(out).toMatch(/\$ npm run rollback -- --env \$ENV --release previous --reason "paged: bad release" → exit 0/);
    expect(out).toMatch(/recovered: verify passes, critical alarms OK, release \S+ is live and served again/);
    expect(out).toMatch(/export AWS_ENDPOINT_URL_S3=http:\/\/127\.0\.0\.1:\d+/);
    expect(out).toMatch(/# bucket miko-production-site-\d+, distribution E2GAMEDAY0000A/);
    expect(run.report).toMatch(
      new RegExp(
        `^\\| bad-release \\| production \\| ${TEST_SCALE}x \\| runbooks/rollback.md \\| miko-production-critical-release-asset-missing \\| [\\d.]+ s → \\d+ s \\| 20 s \\| 2 \\(`,
        'm',
      ),
    );
  });

  it('site-down: the pointer names a pruned release; the site-down alarm pages and the rollback recovers', () => {
    expect(run.output['site-down']).toMatch(
      /PAGE critical miko-production-critical-site-down: .* Runbook: docs\/runbooks\/site-down\.md/,
    );
  });

  it('deleted-release: the versions bring every file back byte for byte, and the edges are told', () => {
    expect(run.output['deleted-release']).toMatch(/invalidated \/\* on E2GAMEDAY0000A/);
    expect(run.output['deleted-release']).toMatch(/RECOVERED: all \d+ files of release \S+ are back, byte for byte/);
  });

  it('dependency-down: the database alarm pages with dependency-down.md; waiting it out recovers, nothing rolled back', () => {
    const out = run.output['dependency-down'];
    expect(out).toMatch(
      /PAGE critical miko-production-critical-database-check-failing: .* Runbook: docs\/runbooks\/dependency-down\.md/,
    );
    expect(out).toMatch(/RECOVERED: Supabase answers again; release \S+ untouched/);
  });

  it('leaked-credential: rotate --incident leaves every leaked value refused', () => {
    const out = run.output['leaked-credential'];
    expect(out).toMatch(/\$ npm run rotate -- --env \$ENV --incident → exit 0/);
    expect(out).toMatch(
      /RECOVERED: leaked value refused: Supabase key revoked, Google key deleted, probe token answered 404/,
    );
    expect(run.report).toMatch(
      /^\| leaked-credential \| production \| .* \| none \| - \| - s \| 1 \(.* \| recovered \|$/m,
    );
  });

  it('lost-database: npm run restore brings every row back into the new project', () => {
    const out = run.output['lost-database'];
    expect(out).toMatch(/export TARGET_DATABASE_URL=postgresql:\/\/postgres@127\.0\.0\.1:\d+\/postgres/);
    expect(out).toMatch(/every row count and checksum matches/);
    expect(out).toMatch(
      /RECOVERED: row counts match the backup: \{"public\.bookings":300,"public\.booking_notes":600\}/,
    );
  });
});
