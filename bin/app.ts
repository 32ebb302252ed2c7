#!/usr/bin/env node
/**
 * The CDK app's entry point. Validates the config before any construct exists, so a bad config aborts synth with
 * a non-zero exit, every problem listed, and nothing written.
 */
import { ConfigError, loadAppConfig } from '../lib/config';
import { buildApp } from '../lib/app';

function main(): void {
  let config;
  try {
    config = loadAppConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  buildApp(config).app.synth();
}

main();
