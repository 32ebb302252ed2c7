/**
 * verify's Chromium judges the canary, end to end on the stand-ins: production's SYNTHESIZED site serves a live and
 * a canary build through its functions (the preview), `npm run verify -- --canary` loads the canary in Debian's
 * Chromium with the prober's bucket cookie, and on a page error publishes CanaryCheckFailed to the CloudWatch
 * stand-in; that stand-in evaluates the SYNTHESIZED canary alarm on a clock 10 times faster and invokes the real
 * abort function, which sets weight 0 in the KeyValueStore stand-in; the next request is served live.
 */
import type { Server } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import type { AbortOutcome } from '../../lambda/canary-abort/abort';
import { loadAppConfig } from '../../lib/config';
import { main as verify } from '../../scripts/verify';
import { canaryCheckAbortTime } from '../../scripts/verify/canary-check';
import { withCanaryDist } from '../../scripts/preview/canary-release';
import { startReleaseStandIn } from '../../scripts/preview/release-store';
import { alarmDefinitions } from '../../tools/stand-ins/alarm-definitions';
import { FakeCloudWatch } from '../../tools/stand-ins/cloudwatch-alarm-evaluator';
import type { FakeSiteAws } from '../../tools/stand-ins/release-aws';
import { refusedPort } from '../../tools/stand-ins/http';
import { LocalSns, startLocalSns } from '../../tools/stand-ins/sns';
import { assemblyDir, template } from '../support/assembly';
import { siteModel, startPreview } from '../support/preview';
import { testTempDir } from '../support/temp-dir';
import { abortFunction, auditRecords, canaryOf } from './support';

const SCALE = 10;
const CHECK_ALARM = 'miko-production-warning-canary-check-failed';

/** An honest build (hashed entry, no inline script) whose entry runs `entry` on load. */
function build(entry: string): string {
  const dist = testTempDir('miko-canary-check-');
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'assets', 'index-Zz98Yy76.js'), entry);
  writeFileSync(
    join(dist, 'index.html'),
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>MiKO</title>' +
      '<script type="module" src="/assets/index-Zz98Yy76.js"></script></head><body><div id="root"></div></body></html>\n',
  );
  return dist;
}

interface Stage {
  readonly aws: FakeSiteAws;
  readonly cloudWatch: FakeCloudWatch;
  readonly sns: LocalSns;
  readonly url: string;
  readonly live: string;
  readonly canary: string;
  readonly aborts: Array<Promise<AbortOutcome>>;
  stop(): Promise<void>;
}

/** The preview with `dist` as the 5 % canary, the release and CloudWatch stand-ins, and the abort function wired. */
async function stage(dist: string): Promise<Stage> {
  const base = siteModel('production');
  const live = base.keyValueStore.get('live-release')!;
  const { model, canaryRelease: canary } = withCanaryDist(base, loadAppConfig().production, dist);
  const aws = await startReleaseStandIn(model, 'Production-Site', canary, 5);
  const { server, url } = await startPreview(model, undefined, aws.store);
  const sns = await startLocalSns();
  const resources = template('Production', 'Monitoring').toJSON().Resources as Record<string, any>;
  const abortFunctionId = Object.keys(resources).find(
    (id) => resources[id].Properties?.Environment?.Variables?.RELEASE_STORE_ARN,
  );
  const abort = abortFunction(aws, sns, 'arn:aws:sns:us-east-1:222222222222:miko-production-warning');
  const aborts: Array<Promise<AbortOutcome>> = [];
  const alarms = alarmDefinitions(new CloudAssembly(assemblyDir()), 'production').filter((a) =>
    a.AlarmName.startsWith('miko-production-warning-canary-'),
  );
  const cloudWatch = new FakeCloudWatch(alarms, SCALE, Date.now(), (functionId, event) => {
    if (functionId !== abortFunctionId) throw new Error(`an alarm invoked ${functionId}, not the abort function`);
    aborts.push(abort(event));
  });
  const cloudWatchUrl = await cloudWatch.start();
  cloudWatch.run();
  const env = {
    AWS_ACCESS_KEY_ID: 'AKIDTEST',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_ENDPOINT_URL_CLOUDFORMATION: aws.url,
    AWS_ENDPOINT_URL_CLOUDFRONT_KEYVALUESTORE: aws.url,
    AWS_ENDPOINT_URL_S3: aws.url,
    AWS_ENDPOINT_URL_CLOUDWATCH: cloudWatchUrl,
    MIKO_TIME_SCALE: String(SCALE),
  };
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  Object.assign(process.env, env);
  return {
    aws,
    cloudWatch,
    sns,
    url,
    live,
    canary,
    aborts,
    async stop() {
      for (const [name, value] of Object.entries(saved))
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      await cloudWatch.stop();
      await new Promise((resolve) => (server as Server).close(resolve));
      await Promise.all([aws.close(), sns.close()]);
    },
  };
}

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await verify(argv, { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, out, err };
}

const servedTo = async (url: string, bucket: number) =>
  (await fetch(`${url}/`, { headers: { cookie: `miko-bucket=${bucket}` } })).headers.get('x-miko-release');

describe('a canary whose JavaScript throws on load', () => {
  let s: Stage;
  beforeAll(async () => {
    s = await stage(build('throw new TypeError("canary boom");\n'));
  });
  afterAll(() => s.stop());

  it('is published as CanaryCheckFailed, its alarm invokes the abort function, weight 0, the next request is live', async () => {
    expect(await servedTo(s.url, 0)).toBe(s.canary);
    const { code, out } = await run(['--env', 'production', '--canary', '--release', s.canary, '--url', s.url]);

    expect(code).toBe(1);
    expect(out).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^FAIL {2}canary in Chromium: 1 page error\\(s\\) loading the canary ${s.canary}: uncaught: canary boom$`,
        ),
      ),
    );
    expect(s.cloudWatch.datapoints.map((d) => [d.namespace, d.metricName, d.dimensions, d.value])).toEqual([
      ['MiKO/Release', 'CanaryCheckFailed', { Environment: 'production' }, 1],
    ]);
    expect(s.cloudWatch.transitions.map((t) => [t.alarm.AlarmName, t.to])[0]).toEqual([CHECK_ALARM, 'ALARM']);
    expect(await Promise.all(s.aborts)).toEqual([{ aborted: true, release: s.canary, weight: 5 }]);
    expect(canaryOf(s.aws)).toMatchObject({ release: s.canary, weight: 0 });
    expect(canaryOf(s.aws)!.abortedBecause).toMatch(new RegExp(`^${CHECK_ALARM}: 1 of the last 1 period`));
    expect(out).toContainEqual(expect.stringMatching(new RegExp(`^NOTE {2}canary ${s.canary} serves no one now`)));
    expect(s.sns.published.map((m) => m.subject)).toEqual([`MiKO production: canary ${s.canary} aborted`]);
    expect(auditRecords(s.aws).map((r) => [r.action, r.who])).toEqual([
      ['canary-abort', `canary-abort function (arn:aws:cloudwatch:us-east-1:123456789012:alarm:${CHECK_ALARM})`],
    ]);
    // The same browser (bucket 0) and every other one is on live again.
    expect(await servedTo(s.url, 0)).toBe(s.live);
  });

  it('says NOT PUBLISHED when CloudWatch refuses the verdict, and still fails the canary (the workflow aborts it)', async () => {
    s.aws.store.set('canary', JSON.stringify({ release: s.canary, weight: 5 }));
    process.env.AWS_ENDPOINT_URL_CLOUDWATCH = `http://127.0.0.1:${await refusedPort()}`;
    const { code, out } = await run(['--env', 'production', '--canary', '--url', s.url]);
    expect(code).toBe(1);
    expect(out).toContainEqual(expect.stringMatching(/^NOTE {2}NOT PUBLISHED: MiKO\/Release CanaryCheckFailed: /));
    expect(canaryOf(s.aws)).toEqual({ release: s.canary, weight: 5 });
  });
});

describe('a good canary', () => {
  let s: Stage;
  beforeAll(async () => {
    s = await stage(build('document.getElementById("root").textContent = "ok";\n'));
  });
  afterAll(() => s.stop());

  it('publishes nothing and keeps serving', async () => {
    const { code, out } = await run(['--env', 'production', '--canary', '--url', s.url]);
    expect(code).toBe(0);
    expect(out).toContainEqual(
      expect.stringMatching(new RegExp(`^PASS {2}canary in Chromium: loaded .* as the canary ${s.canary} \\(5 %\\)`)),
    );
    expect(s.cloudWatch.datapoints).toEqual([]);
    expect(s.cloudWatch.transitions).toEqual([]);
    expect(canaryOf(s.aws)).toEqual({ release: s.canary, weight: 5 });
    expect(await servedTo(s.url, 0)).toBe(s.canary);
  });

  it('is not judged when the browser is not served the canary, nor when none serves', async () => {
    const other = await run([
      '--env',
      'production',
      '--canary',
      '--release',
      '2026-01-01T0000Z-0000000',
      '--url',
      s.url,
    ]);
    expect(other.code).toBe(3);
    expect(other.out).toContainEqual(expect.stringMatching(/^UNKNOWN {2}canary in Chromium: the canary serving is /));

    s.aws.store.set('canary', JSON.stringify({ release: s.canary, weight: 0, abortedBecause: 'by hand' }));
    const none = await run(['--env', 'production', '--canary', '--url', s.url]);
    expect(none.code).toBe(0);
    expect(none.out).toContain(`NOTE  no canary serves in production (${s.canary} is at weight 0): nothing to check`);
    expect(s.cloudWatch.datapoints).toEqual([]);
  });

  it('refuses --canary with the deploy judgement flags (usage, exit 2)', async () => {
    const { code, err } = await run(['--env', 'production', '--canary', '--since', '2026-01-01T00:00:00Z']);
    expect(code).toBe(2);
    expect(err[0]).toMatch(/--canary checks the canary only; leave out --since/);
  });
});

it('models canary throws on load → weight 0 through verify --canary within 60 s (npm run ttd)', () => {
  const rows = canaryCheckAbortTime(
    template('Production', 'Monitoring').toJSON() as { Resources: Record<string, any> },
  );
  expect(rows.map((r) => r.alarm)).toEqual([`canary throws on load → weight 0 (verify --canary → ${CHECK_ALARM})`]);
  expect(rows[0].seconds).toBeLessThanOrEqual(60);
  expect(rows[0].how).toMatch(/evaluated ≤10 s later \(1×10 s\)/);
});
