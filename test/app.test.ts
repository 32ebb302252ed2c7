import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { buildApp } from '../lib/app';
import { loadAppConfig } from '../lib/config';
import { synthApp } from './support/synth';

const NAG_PACKS = ['AwsSolutions', 'HIPAA.Security', 'NIST.800.53.R5'];
const synthesized = synthApp();
const { stages } = synthesized.built;

describe('the whole app', () => {
  it('synthesizes with zero findings from the nag packs', () => {
    const nagReports = synthesized.validationReport.pluginReports.filter((r) => NAG_PACKS.includes(r.pluginName));
    expect(nagReports.flatMap((r) => r.violations)).toEqual([]);
  });

  it('synthesizes templates CloudFormation finds no error in', () => {
    const cfnErrors = synthesized.validationReport.pluginReports
      .filter((r) => !NAG_PACKS.includes(r.pluginName))
      .flatMap((r) => r.violations as Array<{ severity: string }>)
      .filter((v) => v.severity === 'error');
    expect(cfnErrors).toEqual([]);
  });

  it('fails synth on an unacknowledged finding of each of the three packs', () => {
    const probe = buildApp(loadAppConfig(), { outdir: mkdtempSync(join(tmpdir(), 'miko-nag-probe-')) });
    new s3.Bucket(probe.stages.staging.data, 'UnprotectedBucket');
    let failure: unknown;
    try {
      probe.app.synth();
    } catch (error) {
      failure = error;
    }
    expect(String(failure)).toMatch(/ValidationFailed/);
    const report = JSON.parse(readFileSync(join(probe.app.outdir, 'validation-report.json'), 'utf8'));
    const failedPacks = report.pluginReports.filter((r: { conclusion: string }) => r.conclusion === 'failure').map((r: { pluginName: string }) => r.pluginName);
    expect(failedPacks.sort()).toEqual(NAG_PACKS);
  });

  it('puts each environment in its own account, in us-east-1', () => {
    expect(stages.staging.account).toBe('111111111111');
    expect(stages.production.account).toBe('222222222222');
    for (const stage of Object.values(stages)) expect(stage.region).toBe('us-east-1');
  });

  it('protects production\'s stateful stack from deletion, not staging\'s', () => {
    expect(stages.production.data.terminationProtection).toBe(true);
    expect(stages.staging.data.terminationProtection).toBe(false);
  });

  it('keeps production\'s key when its stack is deleted and rotates it', () => {
    const production = synthesized.template(stages.production.data);
    production.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', Properties: { EnableKeyRotation: true } });
    synthesized.template(stages.staging.data).hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete' });
  });

  it('tags every taggable resource with environment, project and cost centre', () => {
    for (const [envName, stage] of Object.entries(stages)) {
      for (const stack of stage.node.findAll().filter((c): c is Stack => c instanceof Stack)) {
        const resources = synthesized.template(stack).toJSON().Resources ?? {};
        for (const [logicalId, resource] of Object.entries<any>(resources)) {
          const tags = resource.Properties?.Tags;
          if (!Array.isArray(tags)) continue;
          const byKey = Object.fromEntries(tags.map((t: { Key: string; Value: string }) => [t.Key, t.Value]));
          expect({ logicalId, tags: byKey }).toEqual({
            logicalId,
            tags: expect.objectContaining({ Environment: envName, Project: 'miko-patient-platform', CostCentre: 'miko-patient-platform' }),
          });
        }
      }
    }
  });

  it('has an acyclic stack graph that starts at the stateful stack', () => {
    for (const stage of Object.values(stages)) {
      const stacks = stage.node.children.filter((c): c is Stack => c instanceof Stack);
      const visiting = new Set<string>();
      const done = new Set<string>();
      const visit = (stack: Stack): void => {
        if (done.has(stack.stackName)) return;
        expect(visiting.has(stack.stackName)).toBe(false);
        visiting.add(stack.stackName);
        stack.dependencies.forEach(visit);
        visiting.delete(stack.stackName);
        done.add(stack.stackName);
      };
      stacks.forEach(visit);
      expect(stage.data.dependencies).toEqual([]);
    }
  });
});
