/**
 * Deploy-time limits of AWS services that CDK does not check at synth, so a template that would be refused fails
 * `cdk synth` instead, with the limit's page named. Each figure is AWS's documented one.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Node.js runtimes Lambda@Edge accepts; versions of AWS's page disagree, and Node.js 22 is the newest any lists:
 * docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/lambda-at-edge-function-restrictions.html
 */
export const LAMBDA_EDGE_NODE_RUNTIMES = ['nodejs22.x', 'nodejs20.x', 'nodejs18.x'] as const;

/** "Quotas on Lambda@Edge" (cloudfront-limits.html#limits-lambda-at-edge), by the event the function runs on. */
export const LAMBDA_EDGE_QUOTAS = {
  origin: { timeoutSeconds: 30, compressedPackageBytes: 50 * 1024 * 1024, includedBodyBytes: 1024 * 1024 },
  viewer: { timeoutSeconds: 5, compressedPackageBytes: 1024 * 1024, memoryMb: 128, includedBodyBytes: 40 * 1024 },
} as const;

/** "Quotas on CloudFront Functions" (cloudfront-limits.html#limits-functions): the function's code. */
export const CLOUDFRONT_FUNCTION_MAX_BYTES = 10 * 1024;

/** "File format for key-value pairs" (kvs-with-functions-create-s3-kvp.html): per key and per value. */
export const KEY_VALUE_STORE_LIMITS = { keyCharacters: 512, valueCharacters: 1024 } as const;

export class ServiceLimitError extends Error {
  constructor(what: string, limit: string, fix: string) {
    super(`${what} exceeds ${limit}, so the deploy would be refused. Fix: ${fix}`);
    this.name = 'ServiceLimitError';
  }
}

function folderBytes(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, entry) => sum + folderBytes(join(path, entry)), 0);
}

export interface EdgeFunctionShape {
  readonly name: string;
  readonly event: keyof typeof LAMBDA_EDGE_QUOTAS;
  readonly runtime: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  /** The bundle's folder: its uncompressed size bounds the zip's. */
  readonly bundleDir: string;
  /** The largest request body the function must see whole (include body). */
  readonly bodyBytes?: number;
}

/** Throws the first limit an edge function's settings break. */
export function assertEdgeFunctionLimits(fn: EdgeFunctionShape): void {
  const quota = LAMBDA_EDGE_QUOTAS[fn.event];
  if (!(LAMBDA_EDGE_NODE_RUNTIMES as readonly string[]).includes(fn.runtime))
    throw new ServiceLimitError(
      `${fn.name}'s runtime ${fn.runtime}`,
      `what Lambda@Edge supports (${LAMBDA_EDGE_NODE_RUNTIMES.join(', ')})`,
      `use ${LAMBDA_EDGE_NODE_RUNTIMES[0]}.`,
    );
  if (fn.timeoutSeconds > quota.timeoutSeconds)
    throw new ServiceLimitError(
      `${fn.name}'s timeout of ${fn.timeoutSeconds} s`,
      `${quota.timeoutSeconds} s for ${fn.event} events`,
      `lower it.`,
    );
  if ('memoryMb' in quota && fn.memoryMb > quota.memoryMb)
    throw new ServiceLimitError(
      `${fn.name}'s ${fn.memoryMb} MB`,
      `${quota.memoryMb} MB for ${fn.event} events`,
      `lower it.`,
    );
  const bytes = folderBytes(fn.bundleDir);
  if (bytes > quota.compressedPackageBytes)
    throw new ServiceLimitError(
      `${fn.name}'s bundle of ${bytes} bytes`,
      `${quota.compressedPackageBytes} bytes for ${fn.event} events`,
      'bundle less into it.',
    );
  if (fn.bodyBytes !== undefined && fn.bodyBytes > quota.includedBodyBytes)
    throw new ServiceLimitError(
      `a ${fn.bodyBytes}-byte body`,
      `the ${quota.includedBodyBytes} bytes ${fn.event} events expose to ${fn.name} (larger ones arrive truncated)`,
      'lower the body limit.',
    );
}

/** Throws when a CloudFront function's code is over its size limit. */
export function assertCloudFrontFunctionSize(name: string, code: string): void {
  const bytes = Buffer.byteLength(code, 'utf8');
  if (bytes > CLOUDFRONT_FUNCTION_MAX_BYTES)
    throw new ServiceLimitError(
      `the CloudFront function ${name} (${bytes} bytes)`,
      `${CLOUDFRONT_FUNCTION_MAX_BYTES} bytes`,
      'move data into the KeyValueStore.',
    );
}

/** Throws when a KeyValueStore key or value is over its size limit. */
export function assertKeyValueSize(key: string, value: string): void {
  if (key.length > KEY_VALUE_STORE_LIMITS.keyCharacters)
    throw new ServiceLimitError(
      `the KeyValueStore key ${key.slice(0, 40)}…`,
      `${KEY_VALUE_STORE_LIMITS.keyCharacters} characters`,
      'shorten it.',
    );
  if (value.length > KEY_VALUE_STORE_LIMITS.valueCharacters)
    throw new ServiceLimitError(
      `the value of KeyValueStore key ${key}`,
      `${KEY_VALUE_STORE_LIMITS.valueCharacters} characters`,
      'shorten it.',
    );
}
