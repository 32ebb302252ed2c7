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
import { EXIT as AUDIT_EXIT } from '../../scripts/audit';
import { main, parseArgs, UsageError } from '../../scripts/rotate';
import { FakeSiteAws } from '../../tools/stand-ins/release-aws';
import { FakeSecretsManager, oneAttemptClient } from '../../tools/stand-ins/secrets-manager';
import { FakeSupabase } from '../../tools/stand-ins/supabase';
import { auditTimeline, startReleaseAws } from '../release/support';
import { runMain, runScript } from '../support/run-script';

/** The Site stack's outputs and its audit bucket, where each finished rotation is recorded. */
let siteAws: FakeSiteAws;
beforeAll(async () => {
  siteAws = await startReleaseAws();
});
afterAll(() => siteAws.close());

/** Reaches the stand-ins only through the SDK's standard variables, in its own process or in this one. */
const standIn = (endpoint: string) => ({
  AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoint,
  AWS_ENDPOINT_URL_CLOUDFORMATION: siteAws.url,
  AWS_ENDPOINT_URL_S3: siteAws.url,
  MIKO_OPERATOR: 'frank@practice',
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
    sm = oneAttemptClient(endpoint);
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
          timeoutMs: 2_000,
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

  it('records each finished rotation in the audit trail: who, the secret and its new version id (never a value), and why', async () => {
    const { code, stdout } = await rotateInProcess(
      [
        '--env',
        'production',
        '--secret',
        'supabase-secret-key',
        '--reason',
        'quarterly rotation',
        '--poll-seconds',
        '0.1',
      ],
      endpoint,
    );
    expect(code).toBe(0);
    const versionId = stdout.match(/rotated\s+([0-9a-f-]{36})/)![1];
    const { exit, text } = await auditTimeline(siteAws);
    expect(exit).toBe(AUDIT_EXIT.intact);
    const entry = text.slice(text.lastIndexOf('secret-rotation frank@practice'));
    expect(entry).toMatch(
      new RegExp(
        `^secret-rotation frank@practice\\s+\\{"secret":"miko/production/supabase-secret-key"\\} -> \\{"secret":"miko/production/supabase-secret-key","AWSCURRENT":"${versionId}"\\}\\n\\s+why: quarterly rotation`,
      ),
    );
    const value = JSON.parse(fake.valueAt('miko/production/supabase-secret-key', 'AWSCURRENT')!).value;
    expect([...siteAws.auditObjects.values()].join('')).not.toContain(value);
  });

  it('rotates but exits 4 with NOT RECORDED when the audit record cannot be written', async () => {
    siteAws.extraOutputs.AuditBucketName = 'miko-production-audit-gone';
    try {
      const before = fake.valueAt('miko/production/n8n-webhook-secret', 'AWSCURRENT');
      const { code, stdout, stderr } = await rotateInProcess(
        ['--env', 'production', '--secret', 'n8n-webhook-secret', '--poll-seconds', '0.1'],
        endpoint,
      );
      expect(code).toBe(4);
      expect(stdout).toMatch(/n8n-webhook-secret\s+rotated/);
      expect(stderr).toMatch(/NOT RECORDED: the change was made, but the audit record could not be written/);
      expect(fake.valueAt('miko/production/n8n-webhook-secret', 'AWSCURRENT')).not.toBe(before);
    } finally {
      delete siteAws.extraOutputs.AuditBucketName;
    }
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
    expect(() => parseArgs(['--env', 'production', '--all', '--reason', ' '])).toThrow(/--reason is empty/);
    expect(parseArgs(['--env', 'production', '--incident']).reason).toBe('incident: leaked credential');
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
