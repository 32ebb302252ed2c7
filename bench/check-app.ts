/** `npm run check-app` on the fixture app (a real Vite build): what it costs the app's CI per build, end to end. */
import { checkApp } from '../scripts/check-app/check';
import { FIXTURE_APP_DIST } from '../test/fixtures/real-app/sources';
import { printTable } from './measure';

/** The app's CI runs it on every build; a minute is what a pipeline step can spend without anyone waiting on it. */
const TARGET_SECONDS = 60;

export async function benchCheckApp(): Promise<void> {
  const started = performance.now();
  const { findings } = await checkApp({
    envName: 'production',
    dist: FIXTURE_APP_DIST,
    paths: ['/', '/booking/confirm'],
  });
  const seconds = (performance.now() - started) / 1000;
  printTable(
    `check-app on the fixture app (synth + preview + Chromium, 2 paths; target ≤ ${TARGET_SECONDS} s)`,
    ['run', 'seconds', 'findings'],
    [['production, / and /booking/confirm', seconds.toFixed(1), String(findings.length)]],
  );
}
