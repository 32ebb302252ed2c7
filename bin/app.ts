#!/usr/bin/env node
/**
 * The CDK app's entry point. Validates the config, then the app build (app-dist/, or `-c appDist=<dir>` /
 * MIKO_APP_DIST) against the app contract before any construct exists, so a bad one aborts synth listing every
 * problem. A failed synth removes its assembly's manifest, so no command reads the previous run's cdk.out as current.
 */
import './compile-cache';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { App } from 'aws-cdk-lib';
import { AppContractError } from '../lib/app-contract';
import { ConfigError, loadAppConfig } from '../lib/config';
import { ENVIRONMENTS_CONTEXT_KEY, EnvironmentSelectionError, selectedEnvironments } from '../lib/stage-ids';

function forgetPreviousAssembly(): void {
  // The CLI tells the app where to write through CDK_OUTDIR.
  const outdir = process.env.CDK_OUTDIR;
  if (outdir) rmSync(join(outdir, 'manifest.json'), { force: true });
}

function main(): void {
  try {
    const config = loadAppConfig();
    // Read -c appDist and the environments before buildApp so the contract runs first; autoSynth off, or this empty
    // app would be written over the real assembly when the process exits.
    const context = new App({ autoSynth: false }).node;
    const fromContext = context.tryGetContext('appDist');
    const appDist =
      typeof fromContext === 'string' && fromContext !== '' ? fromContext : process.env.MIKO_APP_DIST || undefined;
    const environments = selectedEnvironments(context.tryGetContext(ENVIRONMENTS_CONTEXT_KEY));
    // Loaded only now: every stack of the app and cdk-nag take a second of CPU to load, and a mistake in the config
    // or in --env is answered before that.
    const { buildApp } = require('../lib/app') as typeof import('../lib/app');
    buildApp(config, {}, { appDist: appDist && resolve(appDist), environments }).app.synth();
  } catch (error) {
    forgetPreviousAssembly();
    if (
      error instanceof ConfigError ||
      error instanceof AppContractError ||
      error instanceof EnvironmentSelectionError
    ) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

main();
