import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { App, CfnOutput, Duration, Stack, Stage } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Template } from 'aws-cdk-lib/assertions';
import { verify } from '../../scripts/verify';
import { checkAlarms } from '../../scripts/verify/alarm-check';
import { CheckResult } from '../../scripts/verify/check';
import { ExpectedHeaders, expectedHeadersFromTemplate } from '../../scripts/verify/expected-headers';
import { checkSite } from '../../scripts/verify/site-checks';
import { startFakeCloudWatch } from './support/fake-cloudwatch';
import { LIVE_RELEASE, SiteFaults, startFakeSite } from './support/fake-site';

const CSP = "default-src 'none'; script-src 'self'; connect-src 'self' https://ref.supabase.co wss://ref.supabase.co; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; upgrade-insecure-requests";

/** A headers policy as the Site stack would declare it (shape only: the Site issue owns the real values). */
function addHeadersPolicy(stack: Stack): void {
  new cloudfront.ResponseHeadersPolicy(stack, 'SecurityHeaders', {
    securityHeadersBehavior: {
      strictTransportSecurity: { accessControlMaxAge: Duration.seconds(63072000), includeSubdomains: true, preload: true, override: true },
      contentSecurityPolicy: { contentSecurityPolicy: CSP, override: true },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
      referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
    },
    customHeadersBehavior: {
      customHeaders: [
        { header: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()', override: true },
        { header: 'Cross-Origin-Opener-Policy', value: 'same-origin-allow-popups', override: true },
        { header: 'X-Robots-Tag', value: 'noindex', override: true },
      ],
    },
    removeHeaders: ['Server'],
  });
}

function synthesizedHeaders(): ExpectedHeaders {
  const stack = new Stack(new App(), 'Site');
  addHeadersPolicy(stack);
  return expectedHeadersFromTemplate(Template.fromStack(stack).toJSON());
}

const failedChecks = (results: CheckResult[]) => results.filter((r) => !r.ok).map((r) => r.name).sort();
const HEADERS = synthesizedHeaders();

async function withSite<T>(faults: SiteFaults, run: (url: string) => Promise<T>, headers: Record<string, string> = HEADERS.values): Promise<T> {
  const site = await startFakeSite(headers, faults);
  try {
    return await run(site.url);
  } finally {
    await site.close();
  }
}

describe('expected headers, read from the synthesized response-headers policy', () => {
  it('renders CloudFormation SecurityHeadersConfig and CustomHeadersConfig as the headers CloudFront sends', () => {
    expect(HEADERS.values).toEqual({
      'Strict-Transport-Security': 'max-age=63072000; includeSubDomains; preload',
      'Content-Security-Policy': CSP,
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'strict-origin-when-cross-origin',
      'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
      'Cross-Origin-Opener-Policy': 'same-origin-allow-popups',
      'X-Robots-Tag': 'noindex',
    });
    expect(HEADERS.removed).toEqual(['Server']);
  });

  it('fails clearly when the Site stack has no policy yet', () => {
    expect(() => expectedHeadersFromTemplate({ Resources: {} })).toThrow('the Site stack has no AWS::CloudFront::ResponseHeadersPolicy');
  });
});

describe('verify against local sites', () => {
  it('passes a site that gets everything right', async () => {
    const results = await withSite({}, (url) => checkSite(url, { headers: HEADERS, release: LIVE_RELEASE }));
    expect(failedChecks(results)).toEqual([]);
    expect(results.map((r) => r.name)).toEqual(expect.arrayContaining([
      'header Strict-Transport-Security', 'header Server removed', 'security headers on every file class', 'cache index.html', 'cache hashed asset',
      'cache config.json', 'cache version.json', 'cache favicon', 'cache robots.txt', 'deep link', 'missing asset', 'release', 'health',
    ]));
  });

  it('passes a build that has no favicon or robots.txt (they are the app\'s choice), saying so', async () => {
    const results = await withSite({ withoutPublicFiles: true }, (url) => checkSite(url, { headers: HEADERS, release: LIVE_RELEASE }));
    expect(failedChecks(results)).toEqual([]);
    expect(results.find((r) => r.name === 'cache robots.txt')).toMatchObject({ ok: true, detail: '/robots.txt: not in this build (404)' });
    expect(results.find((r) => r.name === 'cache favicon')).toMatchObject({ ok: true, detail: '/favicon.ico: not in this build (404)' });
  });

  it.each<[string, SiteFaults, string[], RegExp]>([
    ['a missing header', { dropHeader: 'Content-Security-Policy' }, ['header Content-Security-Policy', 'security headers on every file class'], /missing on \//],
    ['a weakened header', { overrideHeader: { name: 'Strict-Transport-Security', value: 'max-age=300' } },
      ['header Strict-Transport-Security', 'security headers on every file class'], /weakened or changed on \/: expected "max-age=63072000; includeSubDomains; preload", got "max-age=300"/],
    ['a header that should be stripped', { overrideHeader: { name: 'Server', value: 'AmazonS3' } }, ['header Server removed'], /present: "AmazonS3"/],
    ['a cached index.html', { indexCacheControl: 'public, max-age=86400' }, ['cache index.html', 'deep link'], /expected no-cache, got "public, max-age=86400"/],
    ['SPA fallback serving HTML for a missing asset', { spaFallbackForMissingAssets: true }, ['missing asset'], /answered 200 with HTML \(SPA fallback\)/],
    ['the wrong release', { release: 'previous-release' }, ['release', 'health'], /live release is "previous-release", expected "2026-11-22T0300Z-abc1234"/],
    ['an unhealthy /health', { healthStatus: 503 }, ['health'], /\/health answered 503; expected 200/],
  ])('catches %s and names the check', async (_label, faults, expectedFailures, message) => {
    const results = await withSite(faults, (url) => checkSite(url, { headers: HEADERS, release: LIVE_RELEASE }));
    expect(failedChecks(results)).toEqual([...expectedFailures].sort());
    expect(results.find((r) => r.name === expectedFailures[0])!.detail).toMatch(message);
  });

  it('fails the header check, not passes it, when the expected headers are unknown', async () => {
    const results = await withSite({}, (url) => checkSite(url, { headers: { error: 'the Site stack has no AWS::CloudFront::ResponseHeadersPolicy' } }));
    expect(failedChecks(results)).toEqual(['security headers']);
    expect(results.find((r) => r.name === 'security headers')!.detail).toMatch(/no AWS::CloudFront::ResponseHeadersPolicy/);
  });

  it('fails every check of a site that does not answer, within the timeout', async () => {
    const results = await checkSite('http://127.0.0.1:9', { headers: HEADERS });
    expect(results.length).toBeGreaterThan(10);
    expect(results.filter((r) => r.ok)).toEqual([]);
    expect(results.find((r) => r.name === 'health')!.detail).toMatch(/^GET \/health failed: fetch failed/);
  });
});

describe('alarm check against a local CloudWatch (AWS JSON 1.0, as the SDK speaks it)', () => {
  const saved = { ...process.env };
  beforeEach(() => {
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIDLOCALTEST', AWS_SECRET_ACCESS_KEY: 'local-test-secret', AWS_REGION: 'us-east-1' });
  });
  afterEach(() => { process.env = { ...saved }; });

  async function alarmsResult(alarms: Parameters<typeof startFakeCloudWatch>[0], explicitNames: string[] = []) {
    const requests: any[] = [];
    const cloudwatch = await startFakeCloudWatch(alarms, requests);
    // The endpoint comes from the environment, as in CI against a stand-in: verify never sets one itself.
    process.env.AWS_ENDPOINT_URL_CLOUDWATCH = cloudwatch.url;
    try {
      return { result: await checkAlarms(new CloudWatchClient({ maxAttempts: 1 }), { namePrefix: 'Staging-', explicitNames }), requests };
    } finally {
      await cloudwatch.close();
    }
  }

  it('passes when no alarm of the environment is in ALARM, reading every page', async () => {
    const { result, requests } = await alarmsResult([
      { AlarmName: 'Staging-Monitoring-Site5xx-AAA', StateValue: 'OK' },
      { AlarmName: 'Staging-Monitoring-Latency-BBB', StateValue: 'INSUFFICIENT_DATA' },
      { AlarmName: 'Staging-Health-Errors-CCC', StateValue: 'OK' },
      { AlarmName: 'Production-Monitoring-Site5xx-DDD', StateValue: 'ALARM' },
    ]);
    expect(result).toMatchObject({ ok: true, detail: '3 alarm(s), none in ALARM' });
    expect(requests.map((r) => r.NextToken)).toEqual([undefined, '2']);
  });

  it('fails naming the alarm in ALARM and why', async () => {
    const { result } = await alarmsResult([
      { AlarmName: 'Staging-Monitoring-Site5xx-AAA', StateValue: 'ALARM', StateReason: 'Threshold Crossed: 1 datapoint [12.0] > 5.0' },
      { AlarmName: 'Staging-Health-Errors-CCC', StateValue: 'OK' },
    ]);
    expect(result.ok).toBe(false);
    expect(result.name).toBe('alarms Staging-*');
    expect(result.detail).toBe('1 of 2 in ALARM: Staging-Monitoring-Site5xx-AAA (Threshold Crossed: 1 datapoint [12.0] > 5.0)');
  });

  it('asks for explicitly named alarms outside the prefix by name, and fails when one is not deployed', async () => {
    const { result, requests } = await alarmsResult([{ AlarmName: 'miko-staging-rotation-failed', StateValue: 'ALARM' }], ['miko-staging-rotation-failed']);
    expect(requests).toContainEqual(expect.objectContaining({ AlarmNames: ['miko-staging-rotation-failed'] }));
    expect(result.detail).toMatch(/1 of 1 in ALARM: miko-staging-rotation-failed/);
    const missing = await alarmsResult([], ['miko-staging-prober-down']);
    expect(missing.result).toMatchObject({ ok: false, detail: 'not deployed (expected from the templates): miko-staging-prober-down' });
  });

  it('fails, not passes, when CloudWatch cannot be read', async () => {
    process.env.AWS_ENDPOINT_URL_CLOUDWATCH = 'http://127.0.0.1:9';
    const result = await checkAlarms(new CloudWatchClient({ maxAttempts: 1 }), { namePrefix: 'Staging-', explicitNames: [] });
    expect(result).toMatchObject({ ok: false, detail: expect.stringMatching(/^cannot read alarms/) });
  });
});

describe('npm run verify (whole command, from a synthesized assembly)', () => {
  /** A small cloud assembly shaped like the app's: stage Staging with a Site stack (headers) and an alarm. */
  function synthesizeSmallAssembly(): string {
    const outdir = mkdtempSync(join(tmpdir(), 'miko-verify-assembly-'));
    const app = new App({ outdir });
    const stage = new Stage(app, 'Staging');
    const site = new Stack(stage, 'Site');
    addHeadersPolicy(site);
    new CfnOutput(site, 'ReleaseId', { value: LIVE_RELEASE });
    new cloudwatch.CfnAlarm(new Stack(stage, 'Monitoring'), 'RotationFailed', {
      alarmName: 'miko-staging-rotation-failed', comparisonOperator: 'GreaterThanThreshold', evaluationPeriods: 1, threshold: 0,
      metricName: 'Errors', namespace: 'AWS/Lambda', period: 60, statistic: 'Sum',
    });
    app.synth();
    return outdir;
  }
  const assemblyDir = synthesizeSmallAssembly();

  it('prints one line per check and passes a correct site with quiet alarms, expecting the release the assembly publishes', async () => {
    const cloudwatch = await startFakeCloudWatch([{ AlarmName: 'miko-staging-rotation-failed', StateValue: 'OK' }]);
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIDLOCALTEST', AWS_SECRET_ACCESS_KEY: 'local-test-secret', AWS_ENDPOINT_URL_CLOUDWATCH: cloudwatch.url });
    const lines: string[] = [];
    try {
      const results = await withSite({}, (url) =>
        verify({ env: 'staging', url, skipAlarms: false, assemblyDir, region: 'us-east-1' }, (line) => lines.push(line)));
      expect(failedChecks(results)).toEqual([]);
      expect(lines.filter((l) => /^(PASS|FAIL)  /.test(l))).toHaveLength(results.length);
      expect(lines.at(-1)).toBe(`verify staging: all ${results.length} checks passed`);
      expect(lines).toContain('PASS  alarms Staging-*: 1 alarm(s), none in ALARM');
      expect(lines[0].endsWith(`, expecting release ${LIVE_RELEASE} (the Site stack's ReleaseId in the assembly)`)).toBe(true);
      expect(lines).toContain(`PASS  release: live release is "${LIVE_RELEASE}"`);
    } finally {
      delete process.env.AWS_ENDPOINT_URL_CLOUDWATCH;
      await cloudwatch.close();
    }
  });

  it('exits non-zero from the command line when a check fails', async () => {
    const run = promisify(execFile);
    const outcome = await withSite({ indexCacheControl: 'max-age=600', release: 'older-release' }, (url) =>
      run('npx', ['tsx', 'scripts/verify.ts', '--env', 'staging', '--url', url, '--skip-alarms', '--assembly', assemblyDir], { timeout: 30_000 })
        .then(({ stdout }) => ({ code: 0, stdout }), (error) => ({ code: error.code as number, stdout: error.stdout as string })));
    expect(outcome.code).toBe(1);
    expect(outcome.stdout).toMatch(/^FAIL  cache index\.html: \/: expected no-cache, got "max-age=600"$/m);
    expect(outcome.stdout).toMatch(/^PASS  header Content-Security-Policy: /m);
    expect(outcome.stdout).toMatch(/^FAIL  release: live release is "older-release", expected "2026-11-22T0300Z-abc1234"$/m);
  });
});
