/**
 * `npm run diff`'s base worktree lives in one fixed folder, node_modules/.cache/miko-diff-base: Node's compile cache
 * is keyed by path, so a new folder each time recompiles everything and piles up dead entries. A lock file holds
 * the owner's pid: a concurrent diff gets a temporary folder, and a dead owner's lock is taken over.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratchDir } from '../../lib/shared/scratch-dir';

export interface BaseWorktree {
  readonly dir: string;
  /** Deletes the worktree and its registration, and releases the folder. */
  readonly remove: () => void;
}

function git(args: readonly string[], cwd: string): { status: number; stderr: string } {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8' });
  return { status: result.status ?? 1, stderr: result.stderr ?? '' };
}

function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The fixed folder if no live diff holds it (its lock file then names this process), else undefined. */
function claimFixedFolder(fixed: string): string | undefined {
  const lock = `${fixed}.lock`;
  mkdirSync(join(fixed, '..'), { recursive: true });
  try {
    writeFileSync(lock, String(process.pid), { flag: 'wx' });
  } catch {
    let owner = NaN;
    try {
      owner = Number(readFileSync(lock, 'utf8'));
    } catch {
      // Released between our two calls: another diff is finishing; do not race it for the folder.
      return undefined;
    }
    if (isRunning(owner)) return undefined;
    // A killed diff's lock: removed, then claimed as above, so of two diffs taking it over at once one gets it.
    rmSync(lock, { force: true });
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
    } catch {
      return undefined;
    }
  }
  return lock;
}

function removeWorktree(repoRoot: string, dir: string): void {
  git(['worktree', 'remove', '--force', dir], repoRoot);
  rmSync(dir, { recursive: true, force: true });
  git(['worktree', 'prune'], repoRoot);
}

/** Checks out `ref` of the repository at `repoRoot`, sharing its node_modules (a changed lock file is not diffed). */
export function checkOutBase(repoRoot: string, ref: string): BaseWorktree {
  const fixed = join(repoRoot, 'node_modules', '.cache', 'miko-diff-base');
  const lock = claimFixedFolder(fixed);
  const dir = lock ? fixed : join(scratchDir('miko-diff-base-'), 'tree');
  const release = () => {
    if (lock) rmSync(lock, { force: true });
  };
  // What a killed diff left behind in the fixed folder.
  if (lock) removeWorktree(repoRoot, dir);
  const added = git(['worktree', 'add', '--detach', '--quiet', dir, ref], repoRoot);
  if (added.status !== 0) {
    release();
    throw new Error(
      `cannot check out "${ref}": ${added.stderr.trim()}. Fix: pass --base with a branch, tag or commit this clone has (e.g. --base origin/main).`,
    );
  }
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return {
    dir,
    remove: () => {
      removeWorktree(repoRoot, dir);
      release();
    },
  };
}
