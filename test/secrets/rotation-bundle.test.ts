/**
 * The bundle esbuild produced for the deployed generated-secret rotation function (from the synthesized assembly),
 * loaded as Lambda loads it, with the template's environment, and run through a full rotation against the Secrets
 * Manager stand-in: the SDK is bundled and honours the endpoint variables, the handler export is where the
 * template says, and the finished rotation lands in the audit bucket's stand-in, where `npm run audit` shows it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { EXIT as AUDIT_EXIT } from '../../scripts/audit';
import { startCloudWatch } from '../../tools/stand-ins/cloudwatch';
import { FakeSecretsManager } from '../../tools/stand-ins/secrets-manager';
import { auditTimeline, startReleaseAws } from '../release/support';
import { stackArtifact, template } from '../support/assembly';

describe('the bundled rotation function', () => {
  const saved = { ...process.env };
  afterAll(() => {
    process.env = saved;
  });

  it('rotates a generated secret end to end and records it in the audit trail', async () => {
    const functions = template('Production', 'Data').findResources('AWS::Lambda::Function', {
      Properties: { Description: Match.stringLikeRegexp('n8n-webhook-secret \\(generated\\)') },
    });
    const [fn] = Object.values<any>(functions);
    expect(fn.Properties.Handler).toBe('index.handler');
    const hash = String(fn.Properties.Code.S3Key).replace(/\.zip$/, '');
    const assemblyDir = stackArtifact('Production', 'Data').assembly.directory;
    const bundle = [
      join(assemblyDir, `asset.${hash}`, 'index.js'),
      join(assemblyDir, '..', `asset.${hash}`, 'index.js'),
    ].find((p) => existsSync(p))!;
    expect(bundle).toBeDefined();

    const fake = new FakeSecretsManager();
    const siteAws = await startReleaseAws();
    const cloudWatch = await startCloudWatch();
    const settings = fn.Properties.Environment.Variables;
    expect(settings).toEqual({
      MIKO_ENVIRONMENT: 'production',
      AUDIT_BUCKET: siteAws.auditBucket,
    });
    Object.assign(process.env, {
      ...settings,
      AWS_LAMBDA_FUNCTION_NAME: 'Production-Data-N8nWebhookSecretRotation',
      AWS_ENDPOINT_URL_SECRETS_MANAGER: await fake.start(),
      AWS_ENDPOINT_URL_S3: siteAws.url,
      AWS_ENDPOINT_URL_CLOUDWATCH: cloudWatch.url,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 't',
      AWS_SECRET_ACCESS_KEY: 't',
    });
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const arn = fake.createSecret(
        'miko/production/n8n-webhook-secret',
        JSON.stringify({ value: 'p'.repeat(48) }),
        async () => undefined,
      );
      const token = fake.beginRotation('miko/production/n8n-webhook-secret');
      const { handler } = require(bundle);
      for (const Step of ['createSecret', 'setSecret', 'testSecret', 'finishSecret'])
        await handler({ Step, SecretId: arn, ClientRequestToken: token });
      expect(fake.stages('miko/production/n8n-webhook-secret')[token]).toEqual(['AWSCURRENT']);
      expect(JSON.parse(fake.valueAt('miko/production/n8n-webhook-secret', 'AWSCURRENT')!).value).toHaveLength(48);

      const { exit, text } = await auditTimeline(siteAws);
      expect(exit).toBe(AUDIT_EXIT.intact);
      expect(text).toMatch(
        new RegExp(
          `secret-rotation secretsmanager rotation function Production-Data-N8nWebhookSecretRotation\\n.*"AWSCURRENT":"${token}"\\}\\n\\s+why: scheduled rotation`,
        ),
      );
      expect(cloudWatch.datapoints).toEqual([]);
    } finally {
      jest.restoreAllMocks();
      await fake.stop();
      await siteAws.close();
      await cloudWatch.close();
    }
  });
});
