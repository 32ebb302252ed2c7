/**
 * Jest global setup: synthesizes the committed app once (both environments, nag packs on) for every test file,
 * into a temporary folder named by MIKO_TEST_ASSEMBLY. A synth failure (bad config, nag finding) fails the run here.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../lib/app';
import { cdkJsonContext } from '../../lib/cdk-json-context';
import { loadAppConfig } from '../../lib/config';

export default function globalSynth(): void {
  const outdir = mkdtempSync(join(tmpdir(), 'miko-test-assembly-'));
  buildApp(loadAppConfig(), { outdir, context: cdkJsonContext() }).app.synth();
  process.env.MIKO_TEST_ASSEMBLY = outdir;
}
