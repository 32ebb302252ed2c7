/**
 * JSON entries under node_modules/.cache for slow results that depend only on their inputs (Validate findings, the
 * Observatory's score). The key hashes every input, so an entry is never stale; entries unread for two weeks are
 * pruned. Never committed.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** node_modules/.cache of this checkout. */
export const CACHE_ROOT = join(__dirname, '..', '..', 'node_modules', '.cache');
export const UNUSED_ENTRY_MAX_AGE_MS = 14 * 24 * 3_600_000;

/** Marks a cache entry (a file or a folder) as used now: entries are pruned by their last use, not their age. */
export function markUsed(path: string): string {
  const now = new Date();
  utimesSync(path, now, now);
  return path;
}

/** Removes the entries of `dir` that nobody has used for longer than `maxAgeOf(name)`; a missing `dir` holds none. */
export function pruneUnusedEntries(
  dir: string,
  maxAgeOf: (name: string) => number = () => UNUSED_ENTRY_MAX_AGE_MS,
): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  const now = Date.now();
  for (const name of names) {
    const path = join(dir, name);
    try {
      if (statSync(path).mtimeMs < now - maxAgeOf(name)) rmSync(path, { recursive: true, force: true });
    } catch {
      // Removed by a concurrent process.
    }
  }
}

/** A hex key over `parts`, each one delimited so that no two different lists hash alike. */
export function cacheKeyOf(...parts: ReadonlyArray<string | Buffer>): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(String(part.length)).update(':').update(part).update('\0');
  return hash.digest('hex');
}

export class DiskCache<T> {
  constructor(
    readonly dir: string,
    private readonly isEntry: (value: unknown) => value is T,
  ) {}

  /** The stored value, or undefined when there is none or it cannot be read (then the caller computes it again). */
  read(key: string): T | undefined {
    const file = join(this.dir, `${key}.json`);
    try {
      const stored: unknown = JSON.parse(readFileSync(file, 'utf8'));
      if (!this.isEntry(stored)) return undefined;
      markUsed(file);
      return stored;
    } catch {
      return undefined;
    }
  }

  /** Written beside, then renamed, so a process reading at the same time never sees half an entry. */
  write(key: string, value: T): void {
    try {
      mkdirSync(this.dir, { recursive: true });
      const partial = join(this.dir, `${key}.${process.pid}.partial`);
      writeFileSync(partial, JSON.stringify(value));
      renameSync(partial, join(this.dir, `${key}.json`));
    } catch {
      // A cache that cannot be written (a read-only checkout) only costs the next run its speed.
    }
  }

  pruneUnused(): void {
    pruneUnusedEntries(this.dir);
  }
}
