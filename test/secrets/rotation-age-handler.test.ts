/**
 * The secret-age function against the Secrets Manager stand-in and a CloudWatch stand-in (JSON 1.0,
 * PutMetricData), both reached through the SDK's per-service endpoint variables.
 */
import { FakeSecretsManager } from '../support/fakes/secrets-manager';
import { listen, LocalServer, readBody, sendJson } from '../support/fakes/http';

const DAY = 24 * 60 * 60 * 1000;

describe('secret-age function', () => {
  const saved = { ...process.env };
  let fake: FakeSecretsManager;
  let cloudwatch: LocalServer;
  const published: any[] = [];

  beforeAll(async () => {
    fake = new FakeSecretsManager();
    const smUrl = await fake.start();
    cloudwatch = await listen(async (req, res) => {
      const body = JSON.parse(await readBody(req));
      if (req.headers['x-amz-target'] === 'GraniteServiceVersion20100801.PutMetricData') published.push(body);
      sendJson(res, 200, {}, { 'content-type': 'application/x-amz-json-1.0' });
    });
    fake.createSecret('miko/staging/rotated', JSON.stringify({ value: 'r'.repeat(48) }), async () => undefined);
    fake.createSecret('miko/staging/manual', JSON.stringify({ value: 'm'.repeat(48) }));
    fake.setDates('miko/staging/rotated', { lastChangedDate: new Date(Date.now() - 1 * DAY), lastRotatedDate: new Date(Date.now() - 10 * DAY) });
    fake.setDates('miko/staging/manual', { lastChangedDate: new Date(Date.now() - 40 * DAY) });
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_SECRETS_MANAGER: smUrl, AWS_ENDPOINT_URL_CLOUDWATCH: cloudwatch.url,
      AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test',
    });
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    process.env = saved;
    await cloudwatch.close();
    await fake.stop();
  });

  it('publishes days since the last rotation (or, for a manual secret, the last change), and fails for a secret it cannot see', async () => {
    process.env.SECRET_NAMES = 'miko/staging/rotated,miko/staging/manual,miko/staging/missing';
    const { handler } = await import('../../lambda/rotation-age/handler');
    await expect(handler()).rejects.toThrow(/1 secret\(s\) could not be described/);
    expect(published).toHaveLength(1);
    expect(published[0].Namespace).toBe('MiKO/Secrets');
    const byName = Object.fromEntries(published[0].MetricData.map((d: any) => [d.Dimensions[0].Value, d.Value]));
    expect(Object.keys(byName).sort()).toEqual(['miko/staging/manual', 'miko/staging/rotated']);
    expect(byName['miko/staging/rotated']).toBeCloseTo(10, 1);
    expect(byName['miko/staging/manual']).toBeCloseTo(40, 1);
    expect(fake.calls.filter((c) => c === 'GetSecretValue')).toEqual([]);
  });
});
