/**
 * The secret-age function against the Secrets Manager stand-in and a CloudWatch stand-in (JSON 1.0,
 * PutMetricData), both reached through the SDK's per-service endpoint variables.
 */
import { FakeSecretsManager } from '../../tools/stand-ins/secrets-manager';
import { listen, LocalServer, readBody, sendJson } from '../../tools/stand-ins/http';

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
    fake.setDates('miko/staging/rotated', {
      lastChangedDate: new Date(Date.now() - 1 * DAY),
      lastRotatedDate: new Date(Date.now() - 10 * DAY),
    });
    fake.setDates('miko/staging/manual', { lastChangedDate: new Date(Date.now() - 40 * DAY) });
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_SECRETS_MANAGER: smUrl,
      AWS_ENDPOINT_URL_CLOUDWATCH: cloudwatch.url,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    });
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    process.env = saved;
    await cloudwatch.close();
    await fake.stop();
  });

  it('publishes how many secrets are overdue (one too old, one it cannot see), names them in the log, and fails for the unseen one', async () => {
    process.env.SECRET_NAMES = 'miko/staging/rotated,miko/staging/manual,miko/staging/missing';
    process.env.STALE_AFTER_DAYS = '33';
    const lines: string[] = [];
    (console.log as jest.Mock).mockImplementation((line: string) => lines.push(line));
    const { handler } = await import('../../lambda/rotation-age/handler');
    await expect(handler()).rejects.toThrow(/1 secret\(s\) could not be described/);
    expect(published).toHaveLength(1);
    expect(published[0].Namespace).toBe('MiKO/Secrets');
    // rotated 10 days ago: fine; manual, changed 40 days ago: stale; missing: cannot be seen, so it counts.
    expect(published[0].MetricData).toEqual([{ MetricName: 'StaleSecrets', Value: 2, Unit: 'Count' }]);
    const attention = lines
      .map((line) => JSON.parse(line))
      .find((entry) => entry.message === 'secrets need a new value');
    expect(attention.staleSecrets).toBe('miko/staging/manual,miko/staging/missing');
    const ages = Object.fromEntries(
      lines
        .map((line) => JSON.parse(line))
        .filter((e) => e.message === 'secret age')
        .map((e) => [e.secretName, e.days]),
    );
    expect(ages['miko/staging/rotated']).toBeCloseTo(10, 0);
    expect(ages['miko/staging/manual']).toBeCloseTo(40, 0);
    expect(fake.calls.filter((c) => c === 'GetSecretValue')).toEqual([]);
  });

  it('refuses to run without its threshold rather than publish a count nobody can trust', async () => {
    delete process.env.STALE_AFTER_DAYS;
    published.length = 0;
    const { handler } = await import('../../lambda/rotation-age/handler');
    await expect(handler()).rejects.toThrow(/STALE_AFTER_DAYS/);
    expect(published).toEqual([]);
  });
});
