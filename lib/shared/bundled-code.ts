/**
 * A Lambda handler bundled by esbuild in this process, once per entry and options (no Docker, no esbuild process
 * per function). A bundle is reused only while every file esbuild read keeps its hash. A published bundle is never
 * replaced (one folder per content hash), so two synths sharing the cache never stage each other's code.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { buildSync, version as esbuildVersion } from 'esbuild';
import { CACHE_ROOT, markUsed, pruneUnusedEntries, UNUSED_ENTRY_MAX_AGE_MS } from '../../tools/synth/disk-cache';

export interface BundleOptions {
  /**
   * Bundle the AWS SDK instead of using the runtime's copy: for clients the runtime may lack or lag on
   * (e.g. SigV4a signing for KeyValueStore), and so tests and Lambda run the same client.
   */
  readonly bundleAwsSdk?: boolean;
}

/** Where the sources are and where bundles are kept: this checkout's, but for the tests of the cache itself. */
export interface BundleCache {
  readonly repoRoot: string;
  readonly cacheRoot: string;
}

/** The file the handler is bundled into; the function's handler is `index.handler`. */
export const BUNDLED_HANDLER = 'index.handler';

const THIS_CHECKOUT: BundleCache = {
  repoRoot: resolve(__dirname, '..', '..'),
  cacheRoot: join(CACHE_ROOT, 'miko-lambda-bundles'),
};
/** Beside each cached bundle: every input file's content hash (the bundle folder itself holds only index.js). */
const INPUTS_FILE = 'inputs.json';
/**
 * Publishing a version removes other versions of its entry unchosen for an hour (a synth stages its bundles within
 * seconds of choosing them, so a concurrent synth keeps its own) and any bundle unused for two weeks.
 */
const UNUSED_VERSION_MAX_AGE_MS = 3_600_000;

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** How bundles are made is part of their key: a bundle made another way is never chosen, whatever its inputs. */
const BUNDLER_IDENTITY = sha256(`${sha256(readFileSync(__filename))} esbuild ${esbuildVersion}`);

const bundles = new Map<string, string>();

function inputsUnchanged(versionDir: string, repoRoot: string): boolean {
  const manifest = join(versionDir, INPUTS_FILE);
  if (!existsSync(manifest) || !existsSync(join(versionDir, 'bundle', 'index.js'))) return false;
  const inputs = JSON.parse(readFileSync(manifest, 'utf8')) as Record<string, string>;
  return Object.entries(inputs).every(([file, hash]) => {
    const path = join(repoRoot, file);
    return existsSync(path) && sha256(readFileSync(path)) === hash;
  });
}

/** The published versions of an entry's bundle (`<key>-<content hash>`), not the ones still being built. */
function versionsOf(key: string, cache: BundleCache): string[] {
  return readdirSync(cache.cacheRoot)
    .filter((name) => name.startsWith(`${key}-`))
    .map((name) => join(cache.cacheRoot, name));
}

/** Bundles `entry` into a folder of its own and publishes it under its content hash; returns the published folder. */
function publishBundle(key: string, entry: string, options: BundleOptions, cache: BundleCache): string {
  const building = join(cache.cacheRoot, `${key}.building-${process.pid}`);
  rmSync(building, { recursive: true, force: true });
  const result = buildSync({
    entryPoints: [entry],
    outfile: join(building, 'bundle', 'index.js'),
    absWorkingDir: cache.repoRoot,
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    external: options.bundleAwsSdk ? [] : ['@aws-sdk/*'],
    // Named, so a checkout under a node_modules folder (npm run diff's base worktree, in node_modules/.cache) gets
    // the same bytes: esbuild reads no tsconfig.json there on its own, and the bundle then lacks strict mode.
    tsconfig: join(cache.repoRoot, 'tsconfig.json'),
    metafile: true,
    logLevel: 'error',
  });
  const inputs = JSON.stringify(
    Object.fromEntries(
      Object.keys(result.metafile.inputs).map((file) => [file, sha256(readFileSync(join(cache.repoRoot, file)))]),
    ),
  );
  writeFileSync(join(building, INPUTS_FILE), inputs);
  const published = join(
    cache.cacheRoot,
    `${key}-${sha256(Buffer.concat([readFileSync(join(building, 'bundle', 'index.js')), Buffer.from(inputs)])).slice(0, 16)}`,
  );
  try {
    renameSync(building, published);
  } catch {
    // Another synth published the very same bundle first (a folder is never renamed onto a full one): use theirs.
    rmSync(building, { recursive: true, force: true });
  }
  // Marked as used first: an identical version published long ago is this synth's now, not one to prune.
  markUsed(published);
  pruneUnusedEntries(cache.cacheRoot, (name) =>
    name.startsWith(`${key}-`) ? UNUSED_VERSION_MAX_AGE_MS : UNUSED_ENTRY_MAX_AGE_MS,
  );
  return published;
}

/** The folder holding `entry`'s bundle for the sources as they are now: a published version, or a new one. */
export function cachedBundle(entry: string, options: BundleOptions = {}, cache: BundleCache = THIS_CHECKOUT): string {
  const key = sha256(JSON.stringify([relative(cache.repoRoot, resolve(entry)), options, BUNDLER_IDENTITY])).slice(
    0,
    20,
  );
  mkdirSync(cache.cacheRoot, { recursive: true });
  const current = versionsOf(key, cache).find((versionDir) => inputsUnchanged(versionDir, cache.repoRoot));
  // Marked as used when chosen, so no other synth prunes it while this one stages it.
  return join(current ? markUsed(current) : publishBundle(key, entry, options, cache), 'bundle');
}

export function bundledCode(entry: string, options: BundleOptions = {}): lambda.AssetCode {
  const memo = JSON.stringify([resolve(entry), options]);
  let folder = bundles.get(memo);
  if (!folder) {
    folder = cachedBundle(entry, options);
    bundles.set(memo, folder);
  }
  return lambda.Code.fromAsset(folder);
}
