/**
 * Child process of cached-assembly.ts: synthesizes the app (both environments, nag packs on) into argv[2]. It
 * releases the tests' own fixture app (a real Vite build, test/fixtures/real-app), not app-dist/: app-dist/ is
 * whatever the app's CI drops in, and the suite must pass for any valid build there.
 */
import '../../bin/compile-cache';
import { synthesizeApp } from '../../scripts/lib/synthesized';
import { FIXTURE_APP_DIST } from '../fixtures/real-app/sources';

synthesizeApp(process.argv[2], { appDist: FIXTURE_APP_DIST });
