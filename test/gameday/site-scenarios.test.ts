/**
 * The site's game days, end to end on the stand-ins: the fault is injected, the synthesized alarm pages with its
 * runbook, the runbook's own `sh gameday` commands run, and recovery is proven (verify, alarms, the scenario's
 * check). Each runbook with its key command removed fails its rehearsal.
 */
import { rehearse, TEST_SCALE } from './rehearse';

describe('game day: the site', () => {
  it('bad-release: the asset alarm pages with rollback.md, the rollback brings the good release back', async () => {
    const { code, stdout, report } = await rehearse('bad-release');
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /PAGE critical miko-production-critical-release-asset-missing: .* Runbook: docs\/runbooks\/rollback\.md/,
    );
    expect(stdout).toMatch(/\$ npm run rollback -- --env \$ENV --release previous → exit 0/);
    expect(stdout).toMatch(/recovered: verify passes, critical alarms OK, release \S+ is live and served again/);
    expect(stdout).toMatch(/export AWS_ENDPOINT_URL_S3=http:\/\/127\.0\.0\.1:\d+/);
    expect(stdout).toMatch(/# bucket miko-production-site-\d+, distribution E2GAMEDAY0000A/);
    expect(report).toMatch(
      new RegExp(
        `^\\| bad-release \\| production \\| ${TEST_SCALE}x \\| runbooks/rollback.md \\| miko-production-critical-release-asset-missing \\| [\\d.]+ s → \\d+ s \\| 20 s \\| 2 \\(`,
        'm',
      ),
    );
  });

  it('bad-release without the rollback line is not recovered', async () => {
    const { code, stdout } = await rehearse('bad-release', (md) =>
      md.replace('npm run rollback -- --env $ENV --release previous\n', ''),
    );
    expect(code).toBe(1);
    expect(stdout).toMatch(/FAIL  cache hashed asset: GET \/assets\/index-never-uploaded\.js answered 404/);
    expect(stdout).toMatch(/NOT RECOVERED/);
  });

  it('site-down: the pointer names a pruned release; the site-down alarm pages and the rollback recovers', async () => {
    const { code, stdout } = await rehearse('site-down');
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /PAGE critical miko-production-critical-site-down: .* Runbook: docs\/runbooks\/site-down\.md/,
    );
    expect(stdout).toMatch(/RECOVERED: release \S+ is live and served again/);
  });

  it('site-down rolling back to a release that is not kept fails', async () => {
    const { code, stdout } = await rehearse('site-down', (md) =>
      md.replace('--release previous\n', '--release 20200101T000000Z-0000000\n'),
    );
    expect(code).toBe(1);
    expect(stdout).toMatch(/is not kept in miko-production-site-/);
  });

  it('deleted-release: the versions bring every file back byte for byte', async () => {
    const { code, stdout } = await rehearse('deleted-release');
    expect(code).toBe(0);
    expect(stdout).toMatch(/invalidated \/\* on E2GAMEDAY0000A/);
    expect(stdout).toMatch(/RECOVERED: all \d+ files of release \S+ are back, byte for byte/);
  });

  it('deleted-release without restore-release is not recovered', async () => {
    const { code, stdout } = await rehearse('deleted-release', (md) =>
      md.replace('npm run restore-release -- --env $ENV --release live\n', ''),
    );
    expect(code).toBe(1);
    expect(stdout).toMatch(/NOT RECOVERED|the runbook's command failed/);
  });
});
