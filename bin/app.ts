#!/usr/bin/env node
/**
 * The CDK app's entry point. Validates the config before any construct exists, so a bad config aborts synth with
 * a non-zero exit, every problem listed, and nothing written.
 *
 * A synth that fails (bad config, a cdk-nag finding) removes the manifest of the assembly folder it was asked to
 * write, so no command can go on reading the previous run's cdk.out as if it were current.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadAppConfig } from '../lib/config';
import { buildApp } from '../lib/app';

function forgetPreviousAssembly(): void {
  // The CLI tells the app where to write through CDK_OUTDIR.
  const outdir = process.env.CDK_OUTDIR;
  if (outdir) rmSync(join(outdir, 'manifest.json'), { force: true });
}

function main(): void {
  try {
    buildApp(loadAppConfig()).app.synth();
  } catch (error) {
    forgetPreviousAssembly();
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

main();
