/**
 * The bundle esbuild produced for the deployed generated-secret rotation function (from the synthesized assembly),
 * loaded as Lambda loads it and run through a full rotation against the Secrets Manager stand-in: the SDK is
 * bundled and honours the endpoint variable, and the handler export is where the template says.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { FakeSecretsManager } from '../../tools/stand-ins/secrets-manager';
import { stackArtifact, template } from '../support/assembly';

describe('the bundled rotation function', () => {
  const saved = { ...process.env };
  afterAll(() => {
    process.env = saved;
  });

  it('rotates a generated secret end to end', async () => {
    const functions = template('Staging', 'Data').findResources('AWS::Lambda::Function', {
      Properties: { Description: Match.stringLikeRegexp('n8n-webhook-secret \\(generated\\)') },
    });
    const [fn] = Object.values<any>(functions);
    expect(fn.Properties.Handler).toBe('index.handler');
    const hash = String(fn.Properties.Code.S3Key).replace(/\.zip$/, '');
    const assemblyDir = stackArtifact('Staging', 'Data').assembly.directory;
    const bundle = [
      join(assemblyDir, `asset.${hash}`, 'index.js'),
      join(assemblyDir, '..', `asset.${hash}`, 'index.js'),
    ].find((p) => existsSync(p))!;
    expect(bundle).toBeDefined();

    const fake = new FakeSecretsManager();
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_SECRETS_MANAGER: await fake.start(),
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 't',
      AWS_SECRET_ACCESS_KEY: 't',
    });
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const arn = fake.createSecret(
        'miko/staging/n8n-webhook-secret',
        JSON.stringify({ value: 'p'.repeat(48) }),
        async () => undefined,
      );
      const token = fake.beginRotation('miko/staging/n8n-webhook-secret');
      const { handler } = require(bundle);
      for (const Step of ['createSecret', 'setSecret', 'testSecret', 'finishSecret'])
        await handler({ Step, SecretId: arn, ClientRequestToken: token });
      expect(fake.stages('miko/staging/n8n-webhook-secret')[token]).toEqual(['AWSCURRENT']);
      expect(JSON.parse(fake.valueAt('miko/staging/n8n-webhook-secret', 'AWSCURRENT')!).value).toHaveLength(48);
    } finally {
      jest.restoreAllMocks();
      await fake.stop();
    }
  });
});
