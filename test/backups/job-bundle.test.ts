/** The task image's job is one bundle that runs on bare Node (no node_modules), as it will in the image. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleJob } from '../../scripts/backup-image';

test('bundles the job and, run with a bad mode outside the repo, says which modes exist', () => {
  const dir = mkdtempSync(join(tmpdir(), 'miko-job-'));
  try {
    const file = bundleJob(join(dir, 'main.js'));
    expect(statSync(file).size).toBeGreaterThan(100_000);
    const run = spawnSync(process.execPath, [file, 'bogus'], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH },
    });
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout.trim())).toMatchObject({ level: 'error', message: 'failed', job: 'backup-bogus' });
    expect(run.stdout).toContain('unknown mode \\"bogus\\". Fix: run \\"main.js backup\\" or \\"main.js drill\\".');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
