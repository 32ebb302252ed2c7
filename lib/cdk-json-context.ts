/**
 * The context cdk.json hands the CDK CLI (the feature flags), for synths run in-process by tests and tools:
 * without it they would build a subtly different app (other defaults, other nag finding ids) than `cdk synth`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export function cdkJsonContext(): Record<string, unknown> {
  return JSON.parse(readFileSync(join(__dirname, '..', 'cdk.json'), 'utf8')).context;
}
