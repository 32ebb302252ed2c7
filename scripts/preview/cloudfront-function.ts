/**
 * Runs a CloudFront Function (cloudfront-js-2.0) from its synthesized FunctionCode in Node, with its
 * KeyValueStore played by a map. Only `cf.kvs(id).get(key)` is provided: the one part of the `cloudfront`
 * module our functions use; anything else fails loudly instead of behaving differently from CloudFront.
 */
import { isRecord } from '../../tools/analysis/template';

export interface CloudFrontRequest {
  uri: string;
  method: string;
  querystring: Record<string, { value: string }>;
  headers: Record<string, { value: string }>;
  cookies?: Record<string, { value: string }>;
}

export interface CloudFrontResponse {
  statusCode: number;
  statusDescription?: string;
  headers?: Record<string, { value: string }>;
  cookies?: Record<string, { value: string; attributes?: string }>;
  body?: string | { data: string; encoding: 'text' | 'base64' };
}

/** What CloudFront passes a function: the viewer's request, its address and, for viewer-response, the response. */
export interface CloudFrontEvent {
  request: CloudFrontRequest;
  viewer?: { ip: string };
  response?: CloudFrontResponse;
}

export type ViewerRequestHandler = (event: CloudFrontEvent) => Promise<CloudFrontRequest | CloudFrontResponse>;
export type ViewerResponseHandler = (event: CloudFrontEvent) => Promise<CloudFrontResponse>;

const IMPORT_LINE = /^import cf from 'cloudfront';$/m;

/** The function's code with CloudFormation intrinsics (e.g. the KeyValueStore id) replaced by `placeholder`. */
export function functionCodeOf(functionCode: unknown, placeholder = 'preview-key-value-store'): string {
  if (typeof functionCode === 'string') return functionCode;
  const join = isRecord(functionCode) ? functionCode['Fn::Join'] : undefined;
  if (!Array.isArray(join))
    throw new Error(`unexpected FunctionCode shape: ${JSON.stringify(functionCode).slice(0, 200)}`);
  return (join[1] as unknown[]).map((part) => (typeof part === 'string' ? part : placeholder)).join(join[0]);
}

/** A function's handler; the store is read on every call, so writing it changes the next request (as at the edge). */
export function compileCloudFrontFunction<H = ViewerRequestHandler>(
  code: string,
  store: ReadonlyMap<string, string>,
): H {
  const cf = {
    kvs: () => ({
      get: async (key: string) => {
        if (!store.has(key)) throw new Error(`key not found: ${key}`);
        return store.get(key);
      },
    }),
  };
  const body = IMPORT_LINE.test(code) ? code.replace(IMPORT_LINE, '') : code;
  return new Function('cf', `${body}\nreturn handler;`)(cf) as H;
}

export const compileViewerRequest = (code: string, store: ReadonlyMap<string, string>) =>
  compileCloudFrontFunction<ViewerRequestHandler>(code, store);
