/**
 * `npm run rotate` end to end: the script reaches the Secrets Manager stand-in only through
 * AWS_ENDPOINT_URL_SECRETS_MANAGER (its own process proves the SDK honours it; the other cases run its main in
 * process), and the stand-in runs the real rotation engine and rotators against the Supabase stand-in and the
 * generated kind.
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Rotator, runRotationStep } from '../../lambda/rotation/engine';
import { generatedRotator } from '../../lambda/rotation/rotators/generated';
import { supabaseSecretKeyRotator } from '../../lambda/rotation/rotators/supabase-secret-key';
import { jsonLogger } from '../../lambda/shared/log';
import { main, parseArgs, UsageError } from '../../scripts/rotate';
import { FakeSecretsManager } from '../../tools/stand-ins/secrets-manager';
import { FakeSupabase } from '../../tools/stand-ins/supabase';
import { runMain, runScript } from '../support/run-script';

/** Reaches the stand-in only through the SDK's standard variable, in its own process or in this one. */
const standIn = (endpoint: string) => ({
  AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoint,
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_REGION: 'us-east-1',
});

/** The command in its own process, with nothing of this one's environment but PATH. */
const rotateProcess = (args: string[], endpoint: string) =>
  runScript('scripts/rotate.ts', args, { env: { PATH: process.env.PATH, ...standIn(endpoint) } });
/** The same command (main) in this process. */
const rotateInProcess = (args: string[], endpoint: string) => runMain(main, args, standIn(endpoint));

describe('npm run rotate', () => {
  let fake: FakeSecretsManager;
  let supabase: FakeSupabase;
  let sm: SecretsManagerClient;
  let endpoint: string;

  beforeEach(async () => {
    fake = new FakeSecretsManager();
    endpoint = await fake.start();
    supabase = new FakeSupabase();
    const supabaseUrl = await supabase.start();
    sm = new SecretsManagerClient({
      endpoint,
      region: 'us-east-1',
      maxAttempts: 1,
      credentials: { accessKeyId: 't', secretAccessKey: 't' },
    });
    const lambda = (rotator: Rotator) => (event: Parameters<typeof runRotationStep>[0]) =>
      runRotationStep(event, { sm, rotator, log: jsonLogger({}, () => undefined) });
    fake.createSecret(
      'miko/production/n8n-webhook-secret',
      JSON.stringify({ value: 'x'.repeat(48) }),
      lambda(generatedRotator(sm)),
    );
    fake.createSecret(
      'miko/production/supabase-secret-key',
      JSON.stringify(supabase.addKey('first')),
      lambda(
        supabaseSecretKeyRotator({
          managementApiUrl: supabaseUrl,
          projectRef: supabase.projectRef,
          projectUrl: supabaseUrl,
          managementToken: async () => supabase.managementToken,
          timeoutMs: 300,
        }),
      ),
    );
  });

  afterEach(async () => {
    sm.destroy();
    await supabase.stop();
    await fake.stop();
  });

  it('rotates a secret, waits for AWSCURRENT to move, prints the table and exits 0', async () => {
    const before = fake.valueAt('miko/production/supabase-secret-key', 'AWSCURRENT');
    const { code, stdout } = await rotateProcess(
      ['--env', 'production', '--secret', 'supabase-secret-key', '--poll-seconds', '0.1'],
      endpoint,
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/miko\/production\/supabase-secret-key\s+rotated\s+[0-9a-f-]{36}/);
    const after = fake.valueAt('miko/production/supabase-secret-key', 'AWSCURRENT');
    expect(after).not.toBe(before);
    expect(supabase.accepts(JSON.parse(after!).value)).toBe(true);
    expect(stdout).not.toContain(JSON.parse(after!).value);
  });

  it('exits 1 and says which rotation did not finish when a provider rejects the new key', async () => {
    supabase.failNext('prove', 'reject');
    const before = fake.valueAt('miko/production/supabase-secret-key', 'AWSCURRENT');
    const { code, stdout, stderr } = await rotateInProcess(
      ['--env', 'production', '--secret', 'supabase-secret-key', '--timeout-seconds', '1.5', '--poll-seconds', '0.1'],
      endpoint,
    );
    expect(code).toBe(1);
    expect(stdout).toMatch(/supabase-secret-key\s+still AWSPENDING/);
    expect(stderr).toMatch(/1 of 1 rotation/);
    expect(fake.valueAt('miko/production/supabase-secret-key', 'AWSCURRENT')).toBe(before);
    expect(fake.failedRotations).toEqual([
      expect.objectContaining({ step: 'testSecret', error: 'SupabaseKeyRejectedError' }),
    ]);

    // The failed version still holds AWSPENDING: Secrets Manager refuses a new rotation until it is dropped.
    const again = await rotateInProcess(
      ['--env', 'production', '--secret', 'supabase-secret-key', '--poll-seconds', '0.1'],
      endpoint,
    );
    expect(again.code).toBe(1);
    expect(again.stdout).toMatch(/previous rotation isn't complete.*--restart-stuck/);
    const restarted = await rotateInProcess(
      ['--env', 'production', '--secret', 'supabase-secret-key', '--restart-stuck', '--poll-seconds', '0.1'],
      endpoint,
    );
    expect(restarted.code).toBe(0);
    expect(
      Object.values(fake.stages('miko/production/supabase-secret-key')).filter((s) => s.includes('AWSPENDING')),
    ).toEqual([]);
    expect(supabase.liveKeys()).toHaveLength(2); // the failed attempt's key was revoked when the new rotation finished
  });

  it('reports a secret it cannot start rotating (here: not deployed) as failed', async () => {
    const { code, stdout } = await rotateInProcess(
      ['--env', 'production', '--all', '--timeout-seconds', '5', '--poll-seconds', '0.1'],
      endpoint,
    );
    expect(code).toBe(1);
    expect(stdout).toMatch(/n8n-webhook-secret\s+rotated/);
    expect(stdout).toMatch(/supabase-secret-key\s+rotated/);
    expect(stdout).toMatch(/google-api-key\s+could not start: ResourceNotFoundException/);
  });

  it('refuses bad arguments with a fix', () => {
    expect(() => parseArgs(['--env', 'prod', '--all'])).toThrow(UsageError);
    expect(() => parseArgs(['--env', 'production'])).toThrow(/exactly one of --secret/);
    expect(() => parseArgs(['--env', 'production', '--secret', 'pager-integration-key'])).toThrow(
      /rotated by a person/,
    );
    expect(parseArgs(['--env', 'staging', '--all']).ids).toEqual([
      'supabase-secret-key',
      'n8n-webhook-secret',
      'google-api-key',
      'prober-health-token',
    ]);
  });
});
