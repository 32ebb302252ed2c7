/**
 * Jest global setup: synthesizes the committed app once (both environments, nag packs on) for every test file,
 * into a temporary folder named by MIKO_TEST_ASSEMBLY. A synth failure (bad config, nag finding) fails the run here.
 * It releases the tests' own fixture app (a real Vite build, test/fixtures/real-app), not app-dist/: app-dist/ is
 * whatever the app's CI drops in, and the suite must pass for any valid build there.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../lib/app';
import { cdkJsonContext } from '../../lib/cdk-json-context';
import { loadAppConfig } from '../../lib/config';
import { FIXTURE_APP_DIST } from '../fixtures/real-app/sources';

export default function globalSynth(): void {
  const outdir = mkdtempSync(join(tmpdir(), 'miko-test-assembly-'));
  buildApp(loadAppConfig(), { outdir, context: cdkJsonContext() }, { appDist: FIXTURE_APP_DIST }).app.synth();
  process.env.MIKO_TEST_ASSEMBLY = outdir;
}
