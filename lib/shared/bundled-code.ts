/**
 * A Lambda handler bundled by esbuild in this process, once per entry and options, for every function and both
 * environments that use it. NodejsFunction's local bundling shells out to `npx esbuild` once per function and
 * stage (about half a second each on the 2-core machine); this keeps synth within budget and needs no Docker.
 *
 * Bundles are also kept on disk (node_modules/.cache/miko-lambda-bundles), each with the content hash of every file
 * esbuild read for it: a later synth reuses a bundle only while all of those files are byte-for-byte the same, so
 * an edited handler, helper or dependency is always rebundled. The bundles that bundle the AWS SDK were most of a
 * synth's time.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { buildSync, version as esbuildVersion } from 'esbuild';

export interface BundleOptions {
  /**
   * Bundle the AWS SDK instead of using the runtime's copy: for clients the runtime may lack or lag on
   * (e.g. SigV4a signing for KeyValueStore), and so tests and Lambda run the same client.
   */
  readonly bundleAwsSdk?: boolean;
}

/** The file the handler is bundled into; the function's handler is `index.handler`. */
export const BUNDLED_HANDLER = 'index.handler';

const REPO_ROOT = resolve(__dirname, '..', '..');
const CACHE_ROOT = join(REPO_ROOT, 'node_modules', '.cache', 'miko-lambda-bundles');
/** Beside each cached bundle: every input file's content hash (the bundle folder itself holds only index.js). */
const INPUTS_FILE = 'inputs.json';

const bundles = new Map<string, string>();

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

function inputsUnchanged(cacheDir: string): boolean {
  const manifest = join(cacheDir, INPUTS_FILE);
  if (!existsSync(manifest) || !existsSync(join(cacheDir, 'bundle', 'index.js'))) return false;
  const inputs = JSON.parse(readFileSync(manifest, 'utf8')) as Record<string, string>;
  return Object.entries(inputs).every(([file, hash]) => {
    const path = join(REPO_ROOT, file);
    return existsSync(path) && sha256(readFileSync(path)) === hash;
  });
}

function bundleInto(cacheDir: string, entry: string, options: BundleOptions): void {
  const building = `${cacheDir}.building-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  const result = buildSync({
    entryPoints: [entry],
    outfile: join(building, 'bundle', 'index.js'),
    absWorkingDir: REPO_ROOT,
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    external: options.bundleAwsSdk ? [] : ['@aws-sdk/*'],
    metafile: true,
    logLevel: 'error',
  });
  const inputs = Object.fromEntries(Object.keys(result.metafile.inputs).map((file) => [file, sha256(readFileSync(join(REPO_ROOT, file)))]));
  writeFileSync(join(building, INPUTS_FILE), JSON.stringify(inputs));
  rmSync(cacheDir, { recursive: true, force: true });
  try {
    renameSync(building, cacheDir);
  } catch {
    // Another process (a test worker, a parallel synth) put the same bundle there first: keep theirs.
    rmSync(building, { recursive: true, force: true });
  }
}

export function bundledCode(entry: string, options: BundleOptions = {}): lambda.Code {
  const key = sha256(JSON.stringify([relative(REPO_ROOT, resolve(entry)), options, esbuildVersion])).slice(0, 20);
  let folder = bundles.get(key);
  if (!folder) {
    const cacheDir = join(CACHE_ROOT, key);
    mkdirSync(CACHE_ROOT, { recursive: true });
    if (!inputsUnchanged(cacheDir)) bundleInto(cacheDir, entry, options);
    folder = join(cacheDir, 'bundle');
    bundles.set(key, folder);
  }
  return lambda.Code.fromAsset(folder);
}
