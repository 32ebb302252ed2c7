import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CloudFormationStackArtifact } from 'aws-cdk-lib/cx-api';
import { buildApp } from '../lib/app';
import { cdkJsonContext } from '../lib/cdk-json-context';
import { loadAppConfig } from '../lib/config';
import { allStacks, stackArtifact, template, validationReport } from './support/assembly';
import { testTempDir } from './support/temp-dir';

const NAG_PACKS = ['AwsSolutions', 'HIPAA.Security', 'NIST.800.53.R5'];

describe('the whole app', () => {
  it('synthesizes with zero findings from the nag packs', () => {
    const nagReports = validationReport().pluginReports.filter((r) => NAG_PACKS.includes(r.pluginName));
    expect(nagReports.flatMap((r) => r.violations)).toEqual([]);
  });

  it('synthesizes templates CloudFormation finds no error in', () => {
    const cfnErrors = validationReport()
      .pluginReports.filter((r) => !NAG_PACKS.includes(r.pluginName))
      .flatMap((r) => r.violations)
      .filter((v) => v.severity === 'error');
    expect(cfnErrors).toEqual([]);
  });

  it('fails synth on an unacknowledged finding of each of the three packs', () => {
    // The app's packs with no environment in it, and one stack holding a bare bucket: what the packs see is the point.
    const probe = buildApp(
      loadAppConfig(),
      { outdir: testTempDir('miko-nag-probe-'), context: cdkJsonContext() },
      { environments: [] },
    );
    new s3.Bucket(
      new Stack(probe.app, 'Probe', { env: { account: '111111111111', region: 'us-east-1' } }),
      'UnprotectedBucket',
    );
    expect(() => probe.app.synth()).toThrow(/AwsSolutions-S1/);
    const report = JSON.parse(readFileSync(join(probe.app.outdir, 'validation-report.json'), 'utf8'));
    const failedPacks = report.pluginReports
      .filter((r: { conclusion: string }) => r.conclusion === 'failure')
      .map((r: { pluginName: string }) => r.pluginName);
    expect(failedPacks.sort()).toEqual(NAG_PACKS);
  });

  it("runs neither the packs nor CloudFormation Validate when policy checks are off (check-app's synth)", () => {
    const probe = buildApp(
      loadAppConfig(),
      { outdir: testTempDir('miko-unchecked-probe-'), context: cdkJsonContext() },
      { environments: [], policyChecks: false },
    );
    new s3.Bucket(
      new Stack(probe.app, 'Probe', { env: { account: '111111111111', region: 'us-east-1' } }),
      'UnprotectedBucket',
    );
    expect(() => probe.app.synth()).not.toThrow();
    expect(existsSync(join(probe.app.outdir, 'validation-report.json'))).toBe(false);
  });

  it('puts each environment in its own account, in us-east-1', () => {
    expect(stackArtifact('Staging', 'Data').environment).toMatchObject({
      account: '111111111111',
      region: 'us-east-1',
    });
    expect(stackArtifact('Production', 'Data').environment).toMatchObject({
      account: '222222222222',
      region: 'us-east-1',
    });
    for (const stack of allStacks()) expect(stack.environment.region).toBe('us-east-1');
  });

  it("protects production's stateful stack from deletion, not staging's", () => {
    expect(stackArtifact('Production', 'Data').terminationProtection).toBe(true);
    expect(stackArtifact('Staging', 'Data').terminationProtection).toBeFalsy();
  });

  it("keeps production's key when its stack is deleted, and rotates it", () => {
    // CDK's Template assertions throw on a mismatch; wrapped so the suite's one-assertion rule sees them.
    expect(() => {
      template('Production', 'Data').hasResource('AWS::KMS::Key', {
        DeletionPolicy: 'Retain',
        Properties: { EnableKeyRotation: true },
      });
      template('Staging', 'Data').hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete' });
    }).not.toThrow();
  });

  it('tags every taggable resource with environment, project and cost centre', () => {
    let tagged = 0;
    for (const stack of allStacks()) {
      const envName = stack.stackName.startsWith('Production-') ? 'production' : 'staging';
      for (const [logicalId, resource] of Object.entries<any>(stack.template.Resources ?? {})) {
        const tags = resource.Properties?.Tags;
        if (!Array.isArray(tags)) continue;
        tagged++;
        const byKey = Object.fromEntries(tags.map((t: { Key: string; Value: string }) => [t.Key, t.Value]));
        expect({ stack: stack.stackName, logicalId, tags: byKey }).toEqual({
          stack: stack.stackName,
          logicalId,
          tags: expect.objectContaining({
            Environment: envName,
            Project: 'miko-patient-platform',
            CostCentre: 'miko-patient-platform',
          }),
        });
      }
    }
    expect(tagged).toBeGreaterThan(0);
  });

  it('deploys the stateful stack first and has an acyclic stack graph', () => {
    for (const stage of ['Staging', 'Production'] as const) {
      const order = ['Data', 'Health', 'Telemetry', 'Site', 'Monitoring'].map((part) => stackArtifact(stage, part));
      const stackDependencies = (stack: CloudFormationStackArtifact) =>
        stack.dependencies
          .filter((d): d is CloudFormationStackArtifact => d instanceof CloudFormationStackArtifact)
          .map((d) => d.stackName);
      expect(stackDependencies(order[0])).toEqual([]);
      // Each stack depends only on stacks before it in the graph, which rules out cycles.
      order.forEach((stack, index) => {
        const earlier = order.slice(0, index).map((s) => s.stackName);
        for (const dependency of stackDependencies(stack)) expect(earlier).toContain(dependency);
      });
      expect(stackDependencies(order[1])).toContain(`${stage}-Data`);
    }
  });
});
