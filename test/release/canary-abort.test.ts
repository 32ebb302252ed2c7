/**
 * The abort path end to end: production's canary alarms invoke the abort function (read from the synthesized
 * template); the function, fed the alarm action's event, writes weight 0 to the KeyValueStore stand-in (real SDK,
 * SigV4a, conditional write), tells on-call on the SNS stand-in and records the abort; the next request through the
 * SYNTHESIZED viewer-request function is served live.
 */
import type { AlarmActionEvent } from '../../lambda/canary-abort/abort';
import { compileCloudFrontFunction, CloudFrontRequest } from '../../scripts/preview/cloudfront-function';
import type { FakeSiteAws } from '../../tools/stand-ins/release-aws';
import { LocalSns, startLocalSns } from '../../tools/stand-ins/sns';
import { template } from '../support/assembly';
import { canaryAbortTime } from '../../tools/analysis/time-to-detect';
import { siteModel } from '../support/preview';
import { abortFunction, auditRecords, canaryOf, startReleaseAws } from './support';

const alarmEvent = (alarmName: string, value = 'ALARM'): AlarmActionEvent => ({
  alarmArn: `arn:aws:cloudwatch:us-east-1:222222222222:alarm:${alarmName}`,
  alarmData: { alarmName, state: { value, reason: 'Threshold Crossed: 1 datapoint [1.0] was >= 1.0' } },
});

describe('the canary alarms in the synthesized Monitoring stack', () => {
  const resources = template('Production', 'Monitoring').toJSON().Resources as Record<string, any>;
  const abortFunctionId = Object.entries(resources).find(
    ([, r]) => r.Type === 'AWS::Lambda::Function' && r.Properties.Environment?.Variables?.RELEASE_STORE_ARN,
  )![0];

  it.each([
    ['canary-site-down', 10],
    ['canary-check-failed', 10],
  ])('miko-production-warning-%s invokes the abort function on ALARM, %i s periods', (slug, period) => {
    const alarm = Object.values(resources).find(
      (r) => r.Type === 'AWS::CloudWatch::Alarm' && r.Properties.AlarmName === `miko-production-warning-${slug}`,
    )!;
    expect(alarm.Properties.Period).toBe(period);
    expect(alarm.Properties.AlarmActions).toContainEqual({ 'Fn::GetAtt': [abortFunctionId, 'Arn'] });
  });

  it('lets only the canary alarms invoke it (CloudWatch, each permission scoped to one alarm)', () => {
    expect(
      Object.values(template('Staging', 'Monitoring').toJSON().Resources as Record<string, any>).some(
        (r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Environment?.Variables?.RELEASE_STORE_ARN,
      ),
    ).toBe(false); // staging deploys live at once (site.canary null): no abort function, no canary alarms
    const permissions = Object.values(resources).filter(
      (r) =>
        r.Type === 'AWS::Lambda::Permission' && JSON.stringify(r.Properties.FunctionName).includes(abortFunctionId),
    );
    expect(permissions.map((p) => p.Properties.Principal)).toEqual(
      permissions.map(() => 'lambda.alarms.cloudwatch.amazonaws.com'),
    );
    expect(permissions).toHaveLength(2);
    for (const p of permissions) expect(JSON.stringify(p.Properties.SourceArn)).toMatch(/Alarm/);
  });
});

it('models canary bad → weight 0 within 60 s (npm run ttd), from the synthesized prober and alarm', () => {
  const rows = canaryAbortTime(template('Production', 'Monitoring').toJSON() as { Resources: Record<string, any> });
  expect(rows.map((r) => r.alarm)).toEqual(['canary bad → weight 0 (miko-production-warning-canary-site-down)']);
  expect(rows[0].seconds).toBeLessThanOrEqual(60);
  expect(rows[0].how).toMatch(/probe&retry 14 s/);
});

describe('abort: alarm → weight 0 → next request served live', () => {
  let aws: FakeSiteAws;
  let sns: LocalSns;
  const TOPIC = 'arn:aws:sns:us-east-1:222222222222:miko-production-warning';

  beforeEach(async () => {
    aws = await startReleaseAws('r1');
    aws.store.set('canary', JSON.stringify({ release: 'r3', weight: 5 }));
    sns = await startLocalSns();
  });
  afterEach(async () => {
    await aws.close();
    await sns.close();
  });

  const abort = (event: AlarmActionEvent) => abortFunction(aws, sns, TOPIC)(event);

  it('stops the canary in one write, tells on-call which release and why, records it, and the edge serves live', async () => {
    const model = siteModel('production');
    const code = model.behaviours.find((b) => b.pathPattern === '*')!.viewerRequestCode!;
    const edge = compileCloudFrontFunction(code, aws.store);
    const canaryBrowser = () => ({
      request: {
        uri: '/',
        method: 'GET',
        querystring: {},
        headers: {},
        cookies: { 'miko-bucket': { value: '42' } },
      } as CloudFrontRequest,
      viewer: { ip: '192.0.2.1' },
    });
    expect(((await edge(canaryBrowser())) as CloudFrontRequest).uri).toBe('/releases/r3/index.html');

    const outcome = await abort(alarmEvent('miko-production-warning-canary-site-down'));

    expect(outcome).toEqual({ aborted: true, release: 'r3', weight: 5 });
    expect(canaryOf(aws)).toEqual({
      release: 'r3',
      weight: 0,
      abortedBecause: 'miko-production-warning-canary-site-down: Threshold Crossed: 1 datapoint [1.0] was >= 1.0',
    });
    expect(((await edge(canaryBrowser())) as CloudFrontRequest).uri).toBe('/releases/r1/index.html');
    expect(sns.published).toHaveLength(1);
    expect(sns.published[0]).toMatchObject({ topicArn: TOPIC, subject: 'MiKO production: canary r3 aborted' });
    expect(sns.published[0].message).toMatch(
      /served 5 % .*Live stays r1\.\nWhy: miko-production-warning-canary-site-down/s,
    );
    expect(auditRecords(aws).map((r) => [r.action, r.who, r.after])).toEqual([
      [
        'canary-abort',
        'canary-abort function (arn:aws:cloudwatch:us-east-1:222222222222:alarm:miko-production-warning-canary-site-down)',
        { canary: canaryOf(aws) },
      ],
    ]);
  });

  it('does nothing on OK, nor when no canary is serving (a second alarm of the same fault)', async () => {
    expect(await abort(alarmEvent('miko-production-warning-canary-site-down', 'OK'))).toMatchObject({ aborted: false });
    expect(canaryOf(aws)!.weight).toBe(5);
    await abort(alarmEvent('miko-production-warning-canary-site-down'));
    expect(await abort(alarmEvent('miko-production-warning-canary-check-failed'))).toEqual({
      aborted: false,
      why: 'no canary is serving',
    });
    expect(sns.published).toHaveLength(1);
    expect(aws.auditObjects.size).toBe(1);
  });
});
