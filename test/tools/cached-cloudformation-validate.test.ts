/**
 * The cached CloudFormation Validate, through a real synth: it finds what CDK's own validator finds, fails the synth
 * the same way, and a second synth of unchanged templates gets the same answer without running the validator; a
 * changed template, or an entry that cannot be read, is validated again.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, CfnResource, CloudFormationValidatePlugin, Stack, Validations } from 'aws-cdk-lib';
import { CachedCloudFormationValidatePlugin } from '../../tools/synth/cached-cloudformation-validate';
import { testTempDir } from '../support/temp-dir';

const FINDINGS_ARE_ERRORS = { '@aws-cdk/core:validateAgainstDefaultRules': true };

// One validator for the file (its engine takes seconds to start); each test synthesizes templates of its own.
const cache = testTempDir('miko-validate-cache-');
const validator = new CachedCloudFormationValidatePlugin(cache);

/** One stack whose topic carries `properties`; an unknown property is a schema error (E3002). */
function synth(properties: Record<string, unknown>): void {
  const app = new App({ outdir: testTempDir('miko-validate-out-'), context: FINDINGS_ARE_ERRORS });
  Validations.of(app).addPlugins(validator);
  new CfnResource(new Stack(app, 'Alerts', { env: { account: '111111111111', region: 'eu-central-1' } }), 'Topic', {
    type: 'AWS::SNS::Topic',
    properties,
  });
  app.synth();
}

const bad = (name: string) => ({ TopicName: name, Colour: 'red' });
const good = (name: string) => ({ TopicName: name });

describe('CloudFormation Validate with remembered findings', () => {
  let engineRuns: jest.SpyInstance;
  beforeEach(() => {
    engineRuns = jest.spyOn(CloudFormationValidatePlugin.prototype, 'validate');
  });
  afterEach(() => engineRuns.mockRestore());

  it('fails a synth on a schema error, and fails the next synth of the same template without validating again', () => {
    expect(() => synth(bad('first'))).toThrow(/Colour/);
    expect(engineRuns).toHaveBeenCalledTimes(1);
    // A different assembly folder: the findings are keyed by what is validated, not by where it was written.
    expect(() => synth(bad('first'))).toThrow(/Colour/);
    expect(engineRuns).toHaveBeenCalledTimes(1);
  });

  it('validates a changed template again, and passes it once fixed', () => {
    expect(() => synth(bad('second'))).toThrow(/Colour/);
    expect(() => synth(good('second'))).not.toThrow();
    expect(engineRuns).toHaveBeenCalledTimes(2);
    expect(() => synth(good('second'))).not.toThrow();
    expect(engineRuns).toHaveBeenCalledTimes(2);
  });

  it('validates again when an entry cannot be read, rather than trusting it', () => {
    const before = new Set(readdirSync(cache));
    expect(() => synth(bad('third'))).toThrow(/Colour/);
    const [entry] = readdirSync(cache).filter((name) => !before.has(name));
    writeFileSync(join(cache, entry), '{"truncated":');
    expect(() => synth(bad('third'))).toThrow(/Colour/);
    expect(engineRuns).toHaveBeenCalledTimes(2);
  });

  it('replaces the default validator rather than running beside it', () => {
    // The suite turns the default off for its small apps (test/support/test-apps.ts); here it must be on.
    const suiteSetting = process.env.CDK_VALIDATION;
    delete process.env.CDK_VALIDATION;
    try {
      synth(good('fourth'));
    } finally {
      process.env.CDK_VALIDATION = suiteSetting;
    }
    expect(engineRuns).toHaveBeenCalledTimes(1);
  });

  it('still validates where CDK_VALIDATION turns the default off', () => {
    expect(process.env.CDK_VALIDATION).toBe('false');
    expect(() => synth(bad('fifth'))).toThrow(/Colour/);
  });
});
