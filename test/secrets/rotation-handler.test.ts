/**
 * The deployed handler as Lambda runs it: configured only by its environment, with default SDK clients that find
 * the stand-ins through AWS_ENDPOINT_URL_<SERVICE> (Secrets Manager; the audit bucket's S3 with its conditional
 * writes; CloudWatch). Its log lines are JSON and carry ids and error names, never a value.
 */
import { EXIT as AUDIT_EXIT } from '../../scripts/audit';
import { startCloudWatch } from '../../tools/stand-ins/cloudwatch';
import { FakeSiteAws } from '../../tools/stand-ins/release-aws';
import { FakeSecretsManager } from '../../tools/stand-ins/secrets-manager';
import { FakeSupabase } from '../../tools/stand-ins/supabase';
import { auditRecords, auditTimeline, startReleaseAws } from '../release/support';
import { withLowRetryJitter } from '../support/retry-jitter';

describe('supabase-secret-key rotation handler', () => {
  const saved = { ...process.env };
  let fake: FakeSecretsManager;
  let supabase: FakeSupabase;
  let siteAws: FakeSiteAws;
  let cloudWatch: Awaited<ReturnType<typeof startCloudWatch>>;
  let failMetric = false;
  const lines: string[] = [];

  beforeAll(async () => {
    fake = new FakeSecretsManager();
    supabase = new FakeSupabase();
    siteAws = await startReleaseAws();
    cloudWatch = await startCloudWatch({ failNext: () => failMetric });
    const [smUrl, supabaseUrl] = await Promise.all([fake.start(), supabase.start()]);
    const tokenArn = fake.createSecret(
      'miko/production/supabase-management-token',
      JSON.stringify({ value: supabase.managementToken }),
    );
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_SECRETS_MANAGER: smUrl,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      SUPABASE_MANAGEMENT_API_URL: supabaseUrl,
      SUPABASE_PROJECT_REF: supabase.projectRef,
      SUPABASE_PROJECT_URL: supabaseUrl,
      MANAGEMENT_TOKEN_SECRET_ID: tokenArn,
      AWS_ENDPOINT_URL_S3: siteAws.url,
      AWS_ENDPOINT_URL_CLOUDWATCH: cloudWatch.url,
      AWS_MAX_ATTEMPTS: '2',
      MIKO_ENVIRONMENT: 'production',
      AUDIT_BUCKET: siteAws.auditBucket,
      AWS_LAMBDA_FUNCTION_NAME: 'Production-Data-SupabaseSecretKeyRotation',
    });
    jest.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    process.env = saved;
    await supabase.stop();
    await fake.stop();
    await siteAws.close();
    await cloudWatch.close();
  });

  it('rides out Secrets Manager throttling on every call it makes (the default client retries), and names it when it persists', () =>
    withLowRetryJitter(async () => {
      const { handler } = await import('../../lambda/rotation/handlers/supabase-secret-key');
      const arn = fake.createSecret(
        'miko/production/throttled-key',
        JSON.stringify(supabase.addKey('throttled')),
        async () => undefined,
      );
      const token = fake.beginRotation('miko/production/throttled-key');
      for (const operation of ['DescribeSecret', 'GetSecretValue', 'PutSecretValue', 'UpdateSecretVersionStage'])
        fake.throttleCall(operation); // the first call of each is throttled, its retry answers
      for (const Step of ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const)
        await handler({ Step, SecretId: arn, ClientRequestToken: token });
      expect(fake.stages('miko/production/throttled-key')[token]).toEqual(['AWSCURRENT']);

      const next = fake.beginRotation('miko/production/throttled-key');
      fake.throttleCall('DescribeSecret', 3);
      await expect(handler({ Step: 'createSecret', SecretId: arn, ClientRequestToken: next })).rejects.toMatchObject({
        name: 'ThrottlingException',
      });
      expect(JSON.parse(lines.at(-1)!)).toMatchObject({
        level: 'error',
        step: 'createSecret',
        error: 'ThrottlingException',
      });
    }));

  it('rotates through the four steps, logs JSON without values, and rethrows a failed step after logging it', async () => {
    const { handler } = await import('../../lambda/rotation/handlers/supabase-secret-key');
    const initial = supabase.addKey('first');
    const arn = fake.createSecret(
      'miko/production/supabase-secret-key',
      JSON.stringify(initial),
      async () => undefined,
    );
    const token = fake.beginRotation('miko/production/supabase-secret-key');
    for (const Step of ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const)
      await handler({ Step, SecretId: arn, ClientRequestToken: token });
    expect(fake.stages('miko/production/supabase-secret-key')[token]).toEqual(['AWSCURRENT']);

    const next = fake.beginRotation('miko/production/supabase-secret-key');
    await handler({ Step: 'createSecret', SecretId: arn, ClientRequestToken: next });
    supabase.failNext('prove', 'reject');
    await expect(handler({ Step: 'testSecret', SecretId: arn, ClientRequestToken: next })).rejects.toThrow(/rejected/);

    const logged = lines.map((line) => JSON.parse(line));
    expect(logged.at(-1)).toMatchObject({
      level: 'error',
      step: 'testSecret',
      error: 'SupabaseKeyRejectedError',
      versionId: next,
    });
    const values = [
      ...fake.allValues('miko/production/supabase-secret-key'),
      ...supabase.mintedValues(),
      supabase.managementToken,
    ];
    for (const line of lines) for (const value of values) expect(line.includes(value)).toBe(false);
  });

  const rotateThroughFinish = async (name: string) => {
    const { handler } = await import('../../lambda/rotation/handlers/supabase-secret-key');
    const arn = fake.createSecret(name, JSON.stringify(supabase.addKey(name)), async () => undefined);
    const [previous] = Object.keys(fake.stages(name));
    const token = fake.beginRotation(name);
    for (const Step of ['createSecret', 'setSecret', 'testSecret'] as const)
      await handler({ Step, SecretId: arn, ClientRequestToken: token });
    return {
      finish: () => handler({ Step: 'finishSecret', SecretId: arn, ClientRequestToken: token }),
      previous,
      token,
    };
  };

  it('records a rotation Secrets Manager ran on its own in the audit trail, which npm run audit shows', async () => {
    const { finish, previous, token } = await rotateThroughFinish('miko/production/scheduled-key');
    const pointsBefore = cloudWatch.datapoints.length;
    await finish();
    expect(fake.stages('miko/production/scheduled-key')[token]).toEqual(['AWSCURRENT']);

    const { exit, text } = await auditTimeline(siteAws);
    expect(exit).toBe(AUDIT_EXIT.intact);
    expect(text).toContain(
      `secret-rotation secretsmanager rotation function Production-Data-SupabaseSecretKeyRotation\n    {"secret":"miko/production/scheduled-key","AWSCURRENT":"${previous}"} -> {"secret":"miko/production/scheduled-key","AWSCURRENT":"${token}"}\n    why: scheduled rotation`,
    );
    const value = JSON.parse(fake.valueAt('miko/production/scheduled-key', 'AWSCURRENT')!).value;
    expect([...siteAws.auditObjects.values()].join('')).not.toContain(value);
    expect(cloudWatch.datapoints.slice(pointsBefore).filter((d) => d.name === 'UnrecordedRotations')).toEqual([]);
  });

  it('finishes the rotation when the record cannot be written, and counts it for the unrecorded-rotation alarm', async () => {
    const { finish, token } = await rotateThroughFinish('miko/production/unrecorded-key');
    const recordsBefore = auditRecords(siteAws).length;
    const pointsBefore = cloudWatch.datapoints.length;
    siteAws.auditWritesDenied = true;
    try {
      await finish();
    } finally {
      siteAws.auditWritesDenied = false;
    }
    expect(fake.stages('miko/production/unrecorded-key')[token]).toEqual(['AWSCURRENT']);
    expect(auditRecords(siteAws)).toHaveLength(recordsBefore);
    expect(cloudWatch.datapoints.slice(pointsBefore).filter((d) => d.name === 'UnrecordedRotations')).toEqual([
      expect.objectContaining({ namespace: 'MiKO/Secrets', value: 1, unit: 'Count', dimensions: {} }),
    ]);
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({
      level: 'error',
      message: expect.stringMatching(/rotation NOT RECORDED/),
      versionId: token,
      error: 'AccessDenied',
    });
  });

  it('fails the finished step, for the rotation-errors alarm, only when the count cannot be published either', async () => {
    const { finish, token } = await rotateThroughFinish('miko/production/silent-key');
    siteAws.auditWritesDenied = true;
    failMetric = true;
    try {
      await expect(finish()).rejects.toMatchObject({ name: 'InternalServiceFault' });
    } finally {
      siteAws.auditWritesDenied = false;
      failMetric = false;
    }
    expect(fake.stages('miko/production/silent-key')[token]).toEqual(['AWSCURRENT']);
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ level: 'error', step: 'finishSecret', versionId: token });
  });
});
