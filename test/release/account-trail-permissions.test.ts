/**
 * The trail's service paths proven by the IAM engine over a real synth: production as committed but with
 * `audit.cloudTrail: true` (the shipped config leaves it off, so the shared assembly has no trail), nag packs on.
 * `npm run permissions` must allow CloudTrail's bucket and key legs and deny another account's trail.
 */
import { buildApp } from '../../lib/app';
import { cdkJsonContext } from '../../lib/cdk-json-context';
import { committedConfig, validateAppConfig } from '../../lib/config';
import { main as permissions } from '../../scripts/permissions';
import { FIXTURE_APP_DIST } from '../fixtures/real-app/sources';
import { testTempDir } from '../support/temp-dir';

it('npm run permissions proves CloudTrail may deliver and encrypt for this trail, and no other trail may', async () => {
  const config = structuredClone(committedConfig);
  config.production.audit = { ...config.production.audit, cloudTrail: true };
  const outdir = testTempDir('miko-trail-assembly-');
  buildApp(
    validateAppConfig(config),
    { outdir, context: cdkJsonContext() },
    { environments: ['production'], appDist: FIXTURE_APP_DIST },
  ).app.synth();

  const out: string[] = [];
  const code = await permissions(['--env', 'production', '--assembly', outdir, '--doc', '-'], {
    out: (line) => out.push(line),
    err: (line) => out.push(line),
  });
  const trailLines = out.filter((line) => /cloudtrail|trail-/.test(line.split(':')[0]));
  expect(trailLines.map((line) => line.split(':')[0])).toEqual(
    expect.arrayContaining([
      'ok   cloudtrail-checks-bucket-acl',
      'ok   cloudtrail-writes-log-files',
      'ok   cloudtrail-describes-key',
      'ok   cloudtrail-bucket-access-logged',
      'ok   forbidden another-trail-writes-no-log-file',
      'ok   forbidden another-trail-uses-no-key',
      'ok   forbidden nobody-deletes-a-trail-log-file',
    ]),
  );
  expect(trailLines.filter((line) => !line.startsWith('ok'))).toEqual([]);
  expect(code).toBe(0);
}, 600_000);
