/**
 * One way to reach stand-ins (the SDK's AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE>), and a missing-credentials
 * error that names the command, the account and the fix. The commands run with an empty HOME (no ~/.aws), instance
 * metadata disabled and every endpoint on loopback, so nothing leaves the machine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { endpointFor, explainAwsError, isMissingCredentials } from '../../scripts/lib/aws-access';
import { refusedPort } from '../../tools/stand-ins/aws-endpoints';
import { runScript } from '../support/run-script';

let home: string;
beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'miko-no-aws-home-'));
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

async function withoutCredentials(script: string, args: string[]) {
  const endpoint = `http://127.0.0.1:${await refusedPort()}`;
  const env = {
    PATH: process.env.PATH,
    HOME: home,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: 'us-east-1',
  };
  return runScript(script, args, { env, timeoutMs: 30_000 });
}

describe('AWS access', () => {
  it('resolves a service endpoint from AWS_ENDPOINT_URL_<SERVICE> before AWS_ENDPOINT_URL, as the SDK does', () => {
    expect(
      endpointFor('S3', { AWS_ENDPOINT_URL: 'http://127.0.0.1:1', AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:2' }),
    ).toBe('http://127.0.0.1:2');
    expect(
      endpointFor('CLOUDFORMATION', {
        AWS_ENDPOINT_URL: 'http://127.0.0.1:1',
        AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:2',
      }),
    ).toBe('http://127.0.0.1:1');
    expect(endpointFor('CLOUDWATCH', {})).toBeUndefined();
  });

  it('leaves other errors as they are', () => {
    const denied = Object.assign(new Error('User is not authorized'), { name: 'AccessDenied' });
    expect(isMissingCredentials(denied)).toBe(false);
    expect(explainAwsError('npm run rotate', '222222222222', 'production', denied)).toBe(denied);
  });

  it.each([
    ['rollback', 'scripts/rollback.ts', ['--env', 'production', '--list']],
    [
      'rotate',
      'scripts/rotate.ts',
      ['--env', 'production', '--secret', 'n8n-webhook-secret', '--timeout-seconds', '5'],
    ],
    ['backup', 'scripts/backup.ts', ['--env', 'production', '--now']],
    ['restore', 'scripts/restore.ts', ['--env', 'production', '--to', 'postgresql://x@127.0.0.1:1/x']],
  ])('npm run %s without credentials names the command, the account and the fix', async (command, script, args) => {
    const outcome = await withoutCredentials(script, args);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(
      new RegExp(`npm run ${command} needs AWS credentials for production's account 222222222222`),
    );
    expect(outcome.stderr).toMatch(/Fix: `export AWS_PROFILE=<your profile for 222222222222>` and `aws sso login`/);
  });
});
