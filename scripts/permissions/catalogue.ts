/**
 * The runtime-path catalogue: every `lib/**\/*.paths.ts` (beside the construct whose calls it lists) exports
 * `catalogue`. Found by name, so a new construct's file needs no registration anywhere else.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ForbiddenPath, PathCatalogue, RuntimePath } from '../../lib/shared/runtime-paths';

const LIB = join(__dirname, '..', '..', 'lib');

export interface Catalogued<T> {
  readonly path: T;
  /** The file that lists it, relative to the repository: `lib/monitoring/pager-subscriber.paths.ts`. */
  readonly file: string;
}

export interface LoadedCatalogue {
  readonly paths: Catalogued<RuntimePath>[];
  readonly forbidden: Catalogued<ForbiddenPath>[];
}

function pathFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((entry) => {
      const full = join(dir, entry);
      if (statSync(full).isDirectory()) return pathFiles(full);
      return entry.endsWith('.paths.ts') ? [full] : [];
    });
}

export function loadCatalogue(libDir = LIB): LoadedCatalogue {
  const loaded: LoadedCatalogue = { paths: [], forbidden: [] };
  const ids = new Map<string, string>();
  for (const file of pathFiles(libDir)) {
    const name = relative(join(libDir, '..'), file);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { catalogue } = require(file) as { catalogue?: PathCatalogue };
    if (!catalogue)
      throw new Error(
        `${name} exports no \`catalogue\`. Fix: \`export const catalogue: PathCatalogue = { paths: [...] }\`.`,
      );
    for (const path of [...catalogue.paths, ...(catalogue.forbidden ?? [])]) {
      const other = ids.get(path.id);
      if (other)
        throw new Error(
          `the path id ${path.id} is used by ${other} and ${name}. Fix: rename one; ids name paths in every failure.`,
        );
      ids.set(path.id, name);
    }
    loaded.paths.push(...catalogue.paths.map((path) => ({ path, file: name })));
    loaded.forbidden.push(...(catalogue.forbidden ?? []).map((path) => ({ path, file: name })));
  }
  return loaded;
}
