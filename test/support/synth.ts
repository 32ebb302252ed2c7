/** Synthesizes the whole app (both environments, nag packs on) once per test file, into a temporary folder. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { Stack } from 'aws-cdk-lib';
import { buildApp } from '../../lib/app';
import { AppConfig, loadAppConfig } from '../../lib/config';

export interface SynthesizedApp {
  readonly built: ReturnType<typeof buildApp>;
  readonly outdir: string;
  /** The synthesized template of a stack, as CloudFormation JSON. */
  template(stack: Stack): Template;
  /** cdk-nag's validation report: one entry per plugin that found something (none when all is well). */
  readonly validationReport: { pluginReports: Array<{ pluginName: string; conclusion: string; violations: unknown[] }> };
}

export function synthApp(config: AppConfig = loadAppConfig()): SynthesizedApp {
  const outdir = mkdtempSync(join(tmpdir(), 'miko-synth-'));
  const built = buildApp(config, { outdir });
  const assembly = built.app.synth();
  return {
    built,
    outdir,
    template: (stack) => Template.fromJSON(assembly.getStackArtifact(stack.artifactId).template),
    validationReport: JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')),
  };
}
