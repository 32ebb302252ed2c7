import { App, CfnOutput, Stack, Stage } from 'aws-cdk-lib';
import { main, verify } from '../../scripts/verify';
import { alarmSelection, expectedHeaders, releaseSettleWindow } from '../../scripts/verify/assembly';
import { EXIT, exitCodeFor } from '../../scripts/verify/check';
import { RELEASE_RELATED_CRITICAL_SLUGS, releaseRelatedRows } from '../../tools/analysis/release-alarms';
import { SECRET_CREDENTIALS } from '../../lib/secrets/inventory';
import { template } from '../support/assembly';
import { addHeadersPolicy } from '../support/headers-policy';
import { failedChecks, withSite } from '../support/verify-site';
import { FakeAlarm, startFakeCloudWatch } from '../../tools/stand-ins/cloudwatch';
import { LIVE_RELEASE } from '../../tools/stand-ins/site';
import { runMain, runScript } from '../support/run-script';
import { testTempDir } from '../support/temp-dir';
import { testAssemblyDir } from '../support/cached-assembly';

describe('the settle window and the critical alarms, read from the synthesized app', () => {
  const assembly = () => testAssemblyDir();

  it.each(['Staging', 'Production'])(
    '%s: the settle window equals the modeled worst-case time to detect of the release-related alarms',
    (stage) => {
      const releaseRows = releaseRelatedRows(template(stage as 'Staging', 'Monitoring').toJSON() as any);
      expect(releaseRows.map((r) => r.alarm.split(' ')[0].replace(/^miko-\w+-critical-/, '')).sort()).toEqual(
        [...RELEASE_RELATED_CRITICAL_SLUGS].sort(),
      );
      const window = releaseSettleWindow(assembly(), stage);
      expect(window.seconds).toBe(Math.max(...releaseRows.map((r) => r.seconds)));
      // The figures `npm run ttd` prints: latency (2 × 1-minute p90 periods) is the slowest a release can set off.
      expect(window.setBy.alarm).toBe(`miko-${stage.toLowerCase()}-critical-latency-3s`);
      expect(window.seconds).toBeGreaterThanOrEqual(108);
    },
  );

  it.each(['Staging', 'Production'])(
    '%s: every critical alarm is watched by name, the rotation ones included',
    (stage) => {
      const { critical } = alarmSelection(assembly(), stage);
      const env = stage.toLowerCase();
      expect(
        critical
          .filter((c) => c.releaseRelated)
          .map((c) => c.name)
          .sort(),
      ).toEqual(RELEASE_RELATED_CRITICAL_SLUGS.map((slug) => `miko-${env}-critical-${slug}`).sort());
      expect(critical).toContainEqual({ name: `miko-${env}-critical-database-check-failing`, releaseRelated: false });
      const rotation = critical.filter((c) => c.name.includes('-critical-rotation-errors-'));
      expect(rotation).toHaveLength(SECRET_CREDENTIALS.filter((c) => c.rotation !== 'manual').length);
      expect(rotation.every((c) => !c.releaseRelated)).toBe(true);
      expect(JSON.stringify(critical)).not.toContain('-warning-');
    },
  );
});

describe('npm run verify (whole command, from a synthesized assembly)', () => {
  /** A small cloud assembly shaped like the app's: stage Staging with a Site stack (headers) and an alarm. */
  function synthesizeSmallAssembly(): string {
    const outdir = testTempDir('miko-verify-assembly-');
    const app = new App({ outdir });
    const stage = new Stage(app, 'Staging');
    const site = new Stack(stage, 'Site');
    addHeadersPolicy(site);
    new CfnOutput(site, 'ReleaseId', { value: LIVE_RELEASE });
    app.synth();
    return outdir;
  }
  const assemblyDir = synthesizeSmallAssembly();
  it('prints one line per check and passes a correct site, expecting the release the assembly publishes', async () => {
    const lines: string[] = [];
    const results = await withSite({}, (url) =>
      verify({ env: 'staging', url, alarms: { kind: 'skip' }, assemblyDir, region: 'us-east-1' }, (line) =>
        lines.push(line),
      ),
    );
    expect(failedChecks(results)).toEqual([]);
    expect(lines.filter((l) => /^(PASS|FAIL)  /.test(l))).toHaveLength(results.length);
    expect(lines.at(-1)).toBe(`verify staging: all ${results.length} checks passed`);
    expect(lines[0].endsWith(`, expecting release ${LIVE_RELEASE} (the Site stack's ReleaseId in the assembly)`)).toBe(
      true,
    );
    expect(lines).toContain(`PASS  release: live release is "${LIVE_RELEASE}"`);
  });

  it("watches the app's critical alarms for its modeled settle window, and fails a release whose site-down alarm fires", async () => {
    const real = testAssemblyDir();
    const headers = expectedHeaders(real, 'Staging');
    if ('error' in headers) throw new Error(headers.error);
    const { critical } = alarmSelection(real, 'Staging');
    const since = new Date('2026-11-22T03:00:00Z');
    const alarms: FakeAlarm[] = critical.map((c) => ({
      AlarmName: c.name,
      StateValue: 'OK',
      StateTransitionedTimestamp: since.getTime() / 1000 - 60,
    }));
    const cloudwatch = await startFakeCloudWatch(alarms);
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: 'AKIDLOCALTEST',
      AWS_SECRET_ACCESS_KEY: 'local-test-secret',
      AWS_ENDPOINT_URL_CLOUDWATCH: cloudwatch.url,
    });
    let now = since.getTime() + 120_000;
    const clock = {
      now: () => now,
      sleep: async (ms: number) => {
        now += ms;
      },
    };
    try {
      const lines: string[] = [];
      const good = await withSite(
        {},
        (url) =>
          verify(
            {
              env: 'staging',
              url,
              release: LIVE_RELEASE,
              alarms: { kind: 'judge', since },
              assemblyDir: real,
              region: 'us-east-1',
              clock,
            },
            (l) => lines.push(l),
          ),
        headers.values,
      );
      expect(lines).toContain(
        `watching the critical alarms for ${releaseSettleWindow(real, 'Staging').seconds} s: the slowest modeled time to detect of an alarm the release can cause (miko-staging-critical-latency-3s, npm run ttd)`,
      );
      expect(exitCodeFor(good)).toBe(EXIT.good);

      now = since.getTime() + 120_000;
      const siteDown = alarms.findIndex((a) => a.AlarmName === 'miko-staging-critical-site-down');
      alarms[siteDown] = {
        ...alarms[siteDown],
        StateValue: 'ALARM',
        StateTransitionedTimestamp: since.getTime() / 1000 + 100,
      };
      const bad = await withSite(
        {},
        (url) =>
          verify(
            {
              env: 'staging',
              url,
              release: LIVE_RELEASE,
              alarms: { kind: 'judge', since },
              assemblyDir: real,
              region: 'us-east-1',
              clock,
            },
            () => undefined,
          ),
        headers.values,
      );
      expect(exitCodeFor(bad)).toBe(EXIT.releaseBad);
    } finally {
      delete process.env.AWS_ENDPOINT_URL_CLOUDWATCH;
      await cloudwatch.close();
    }
  });

  // The one real process: the exit code the workflow reads (and rolls back on) is the process's own.
  it('exits 1 ("release bad") from the command line when a site check fails', async () => {
    const outcome = await withSite({ indexCacheControl: 'max-age=600', release: 'older-release' }, (url) =>
      runScript('scripts/verify.ts', ['--env', 'staging', '--url', url, '--skip-alarms', '--assembly', assemblyDir]),
    );
    expect(outcome.code).toBe(EXIT.releaseBad);
    expect(outcome.stdout).toMatch(/^FAIL  cache index\.html: \/: expected no-cache, got "max-age=600"$/m);
    expect(outcome.stdout).toMatch(/^PASS  header Content-Security-Policy: /m);
    expect(outcome.stdout).toMatch(
      /^FAIL  release: live release is "older-release", expected "2026-11-22T0300Z-abc1234"$/m,
    );
    expect(outcome.stdout).toMatch(/RELEASE BAD$/m);
  });

  it('exits 3 ("could not check") when the site is good but the alarms cannot be judged, and 2 on a usage error', async () => {
    const outcome = await withSite({}, (url) =>
      runMain(main, ['--env', 'staging', '--url', url, '--since', '2026-11-22T03:00:00Z', '--assembly', assemblyDir], {
        AWS_ACCESS_KEY_ID: 'AKIDLOCALTEST',
        AWS_SECRET_ACCESS_KEY: 'local-test-secret',
        AWS_ENDPOINT_URL_CLOUDWATCH: 'http://127.0.0.1:9',
      }),
    );
    expect(outcome.code).toBe(EXIT.couldNotCheck);
    expect(outcome.stdout).toMatch(/^UNKNOWN  critical alarms: /m);
    const usage = await runMain(main, ['--env', 'staging', '--assembly', assemblyDir]);
    expect(usage.code).toBe(EXIT.usage);
    expect(usage.stderr).toMatch(/give exactly one of --since, --after-rollback, --skip-alarms/);
    expect((await runMain(main, ['--env', 'staging', '--bogus'])).code).toBe(EXIT.usage);
    const help = await runMain(main, ['--help']);
    expect(help.code).toBe(EXIT.good);
    expect(help.stdout).toMatch(/3 could not check/);
  });

  it('exits 3 ("could not check"), not 1, when the site cannot be reached; MIKO_SITE_URL names the site', async () => {
    const outcome = await runMain(main, ['--env', 'staging', '--skip-alarms', '--assembly', assemblyDir], {
      MIKO_SITE_URL: 'http://127.0.0.1:9',
    });
    expect(outcome.code).toBe(EXIT.couldNotCheck);
    expect(outcome.stdout).toMatch(/^verify staging at http:\/\/127\.0\.0\.1:9/m);
    expect(outcome.stdout).toMatch(/^UNKNOWN  site reachable: /m);
    expect(outcome.stdout).toMatch(/COULD NOT CHECK$/m);
  });
});
