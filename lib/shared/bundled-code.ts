/**
 * A Lambda handler bundled by esbuild in this process, once per entry and options, for every function and both
 * environments that use it. NodejsFunction's local bundling shells out to `npx esbuild` once per function and
 * stage (about half a second each on the 2-core machine); this keeps synth within budget and needs no Docker.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { buildSync } from 'esbuild';
import { scratchDir } from './scratch-dir';

export interface BundleOptions {
  /**
   * Bundle the AWS SDK instead of using the runtime's copy: for clients the runtime may lack or lag on
   * (e.g. SigV4a signing for KeyValueStore), and so tests and Lambda run the same client.
   */
  readonly bundleAwsSdk?: boolean;
}

/** The file the handler is bundled into; the function's handler is `index.handler`. */
export const BUNDLED_HANDLER = 'index.handler';

const bundles = new Map<string, string>();

export function bundledCode(entry: string, options: BundleOptions = {}): lambda.Code {
  const key = JSON.stringify([entry, options]);
  let outdir = bundles.get(key);
  if (!outdir || !existsSync(outdir)) {
    // Removed when the process ends: CDK has copied it into the assembly (asset.<hash>) by then.
    outdir = scratchDir('miko-lambda-');
    buildSync({
      entryPoints: [entry],
      outfile: join(outdir, 'index.js'),
      bundle: true,
      minify: true,
      platform: 'node',
      target: 'node24',
      format: 'cjs',
      external: options.bundleAwsSdk ? [] : ['@aws-sdk/*'],
      logLevel: 'error',
    });
    bundles.set(key, outdir);
  }
  return lambda.Code.fromAsset(outdir);
}
