/**
 * Temporary folders that live as long as this process: the Lambda bundles and release files a synth stages before
 * CDK copies them into the assembly, the assembly a tool synthesizes for itself. Each is removed when the process
 * ends (normally, or on Ctrl-C / SIGTERM), so no command leaves litter in the temp dir.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const scratchDirs = new Set<string>();

function removeScratchDirs(): void {
  for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
  scratchDirs.clear();
}

let cleanupInstalled = false;
function installCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  process.once('exit', removeScratchDirs);
  // A signal ends the process without 'exit' handlers unless someone listens: clean up, then end as the signal
  // would, unless the command has its own handler (preview closes its server first, then exits).
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.once(signal, () => {
      removeScratchDirs();
      if (process.listenerCount(signal) === 0) process.exit(code);
    });
  }
}

/** A fresh folder under the temp dir, removed when this process ends. */
export function scratchDir(prefix: string): string {
  installCleanup();
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratchDirs.add(dir);
  return dir;
}
