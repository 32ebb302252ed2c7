/**
 * The deployed handler as Lambda runs it: configured only by its environment, with a default SDK client that
 * finds the Secrets Manager stand-in through AWS_ENDPOINT_URL_SECRETS_MANAGER. Its log lines are JSON and carry
 * ids and error names, never a value.
 */
import { FakeSecretsManager } from '../../tools/stand-ins/secrets-manager';
import { FakeSupabase } from '../../tools/stand-ins/supabase';

describe('supabase-secret-key rotation handler', () => {
  const saved = { ...process.env };
  let fake: FakeSecretsManager;
  let supabase: FakeSupabase;
  const lines: string[] = [];

  beforeAll(async () => {
    fake = new FakeSecretsManager();
    supabase = new FakeSupabase();
    const [smUrl, supabaseUrl] = await Promise.all([fake.start(), supabase.start()]);
    const tokenArn = fake.createSecret(
      'miko/staging/supabase-management-token',
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
    });
    jest.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    process.env = saved;
    await supabase.stop();
    await fake.stop();
  });

  it('rides out Secrets Manager throttling on every call it makes (the default client retries), and names it when it persists', async () => {
    const { handler } = await import('../../lambda/rotation/handlers/supabase-secret-key');
    const arn = fake.createSecret(
      'miko/staging/throttled-key',
      JSON.stringify(supabase.addKey('throttled')),
      async () => undefined,
    );
    const token = fake.beginRotation('miko/staging/throttled-key');
    for (const operation of ['DescribeSecret', 'GetSecretValue', 'PutSecretValue', 'UpdateSecretVersionStage'])
      fake.throttleCall(operation); // the first call of each is throttled, its retry answers
    for (const Step of ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const)
      await handler({ Step, SecretId: arn, ClientRequestToken: token });
    expect(fake.stages('miko/staging/throttled-key')[token]).toEqual(['AWSCURRENT']);

    const next = fake.beginRotation('miko/staging/throttled-key');
    fake.throttleCall('DescribeSecret', 3);
    await expect(handler({ Step: 'createSecret', SecretId: arn, ClientRequestToken: next })).rejects.toMatchObject({
      name: 'ThrottlingException',
    });
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({
      level: 'error',
      step: 'createSecret',
      error: 'ThrottlingException',
    });
  });

  it('rotates through the four steps, logs JSON without values, and rethrows a failed step after logging it', async () => {
    const { handler } = await import('../../lambda/rotation/handlers/supabase-secret-key');
    const initial = supabase.addKey('first');
    const arn = fake.createSecret('miko/staging/supabase-secret-key', JSON.stringify(initial), async () => undefined);
    const token = fake.beginRotation('miko/staging/supabase-secret-key');
    for (const Step of ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const)
      await handler({ Step, SecretId: arn, ClientRequestToken: token });
    expect(fake.stages('miko/staging/supabase-secret-key')[token]).toEqual(['AWSCURRENT']);

    const next = fake.beginRotation('miko/staging/supabase-secret-key');
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
      ...fake.allValues('miko/staging/supabase-secret-key'),
      ...supabase.mintedValues(),
      supabase.managementToken,
    ];
    for (const line of lines) for (const value of values) expect(line.includes(value)).toBe(false);
  });
});
