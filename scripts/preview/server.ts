/**
 * A server on 127.0.0.1 answering as the synthesized distribution would: the first matching behaviour, its
 * viewer-request function's own code, bucket objects with their upload Cache-Control and S3's ETag/If-None-Match,
 * `/health*` and `/_telemetry/*` from the real handlers, and the response-headers policy on every answer, errors too.
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import {
  compileCloudFrontFunction,
  CloudFrontEvent,
  CloudFrontRequest,
  CloudFrontResponse,
  ViewerRequestHandler,
  ViewerResponseHandler,
} from './cloudfront-function';
import { pathPatternMatches } from './path-pattern';
import { Behaviour, SiteModel } from './site-model';
import { createHash } from 'node:crypto';
import { TELEMETRY_FORWARDED_HEADERS } from '../../lib/site/distribution';
import { handler as edgePayloadHash, PAYLOAD_HASH_HEADER } from '../../lambda/telemetry-edge/payload-hash';
import { requestBody } from '../lib/request-body';

/** CloudFront shows an origin-request Lambda@Edge at most 1 MB of body. */
const EDGE_BODY_LIMIT = 1_048_576;

const hashPayload = (request: Parameters<typeof edgePayloadHash>[0]['Records'][0]['cf']['request']) =>
  edgePayloadHash({ Records: [{ cf: { request } }] });

interface OriginAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export type HealthHandler = (
  event: unknown,
) => Promise<{ statusCode: number; headers?: Record<string, string>; body?: string }>;

export interface PreviewOptions {
  /** The health function's handler; called with a function-URL (payload 2.0) event. */
  readonly healthHandler: HealthHandler;
  /**
   * The telemetry collector's handler for `/_telemetry/*`, built once the preview's origin is known (the collector
   * accepts reports from its site's origin only). Without it, those paths answer 502 as a missing origin would.
   */
  readonly telemetryHandler?: (previewOrigin: string) => HealthHandler;
  readonly port?: number;
  /**
   * The KeyValueStore the functions read on every request (default: the model's, as the deploy leaves it). Pass a
   * stand-in's live map so a pointer move, a canary weight or a flag flip shows on the next request.
   */
  readonly keyValueStore?: ReadonlyMap<string, string>;
}

function isResponse(value: CloudFrontRequest | CloudFrontResponse): value is CloudFrontResponse {
  return typeof (value as CloudFrontResponse).statusCode === 'number';
}

function viewerRequestEvent(req: IncomingMessage, url: URL): CloudFrontEvent {
  const headers: Record<string, { value: string }> = {};
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers[name] = { value };
  const querystring: Record<string, { value: string }> = {};
  url.searchParams.forEach((value, name) => {
    querystring[name] = { value };
  });
  const cookies: Record<string, { value: string }> = {};
  for (const pair of (req.headers.cookie ?? '').split(';')) {
    const at = pair.indexOf('=');
    if (at > 0) cookies[pair.slice(0, at).trim()] = { value: pair.slice(at + 1).trim() };
  }
  return {
    request: { uri: decodeURIComponent(url.pathname), method: req.method ?? 'GET', headers, querystring, cookies },
    viewer: { ip: req.socket.remoteAddress ?? '127.0.0.1' },
  };
}

/** A copy of the viewer's request: CloudFront shows a viewer-response function the request as the viewer sent it. */
function copyOf(event: CloudFrontEvent): CloudFrontEvent {
  return JSON.parse(JSON.stringify(event)) as CloudFrontEvent;
}

/** Runs the viewer-response function on an answer below 400, as CloudFront does, and applies its headers and cookies. */
async function afterViewerResponse(
  run: ViewerResponseHandler,
  viewerEvent: CloudFrontEvent,
  headers: Record<string, string>,
  status: number,
): Promise<Record<string, string | string[]>> {
  if (status >= 400) return headers;
  const response: CloudFrontResponse = {
    statusCode: status,
    headers: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, { value }])),
    cookies: {},
  };
  const answered = await run({ ...viewerEvent, response });
  const result: Record<string, string | string[]> = Object.fromEntries(
    Object.entries(answered.headers ?? {}).map(([name, h]) => [name, h.value]),
  );
  const cookies = Object.entries(answered.cookies ?? {}).map(
    ([name, c]) => `${name}=${c.value}${c.attributes ? `; ${c.attributes}` : ''}`,
  );
  if (cookies.length > 0) result['set-cookie'] = cookies;
  return result;
}

function fromBucket(model: SiteModel, request: CloudFrontRequest): OriginAnswer {
  const object = model.objects.get(request.uri.replace(/^\//, ''));
  if (!object) {
    const code = model.missingObjectStatus === 404 ? 'NoSuchKey' : 'AccessDenied';
    return {
      status: model.missingObjectStatus,
      headers: { 'content-type': 'application/xml' },
      body: Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code></Error>`),
    };
  }
  const headers = { 'content-type': object.contentType, 'cache-control': object.cacheControl, etag: object.etag };
  if (request.headers['if-none-match']?.value === object.etag) return { status: 304, headers, body: Buffer.alloc(0) };
  return { status: 200, headers, body: object.body };
}

async function fromFunctionUrl(
  handler: HealthHandler,
  request: CloudFrontRequest,
  body?: Buffer,
): Promise<OriginAnswer> {
  const headers = Object.fromEntries(Object.entries(request.headers).map(([name, h]) => [name, h.value]));
  const result = await handler({
    version: '2.0',
    rawPath: request.uri,
    rawQueryString: '',
    headers,
    requestContext: { http: { method: request.method, path: request.uri } },
    ...(body && { body: body.toString('base64'), isBase64Encoded: true }),
  });
  return { status: result.statusCode, headers: { ...result.headers }, body: Buffer.from(result.body ?? '') };
}

function applyPolicy(behaviour: Behaviour, answer: OriginAnswer): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(answer.headers)) headers[name.toLowerCase()] = value;
  for (const name of behaviour.headers.removed) delete headers[name.toLowerCase()];
  for (const [name, value] of Object.entries(behaviour.headers.values)) headers[name.toLowerCase()] = value;
  return headers;
}

export async function startPreviewServer(
  model: SiteModel,
  options: PreviewOptions,
): Promise<{ server: Server; url: string }> {
  const store = options.keyValueStore ?? model.keyValueStore;
  const functions = new Map<string, unknown>();
  const compiled = <H>(code: string): H => {
    if (!functions.has(code)) functions.set(code, compileCloudFrontFunction<H>(code, store));
    return functions.get(code) as H;
  };

  let telemetry: HealthHandler | undefined;
  // As CloudFront would: only the policy's headers (distribution.ts), the edge function's payload hash, and the
  // function URL's refusal of a signed POST whose hash does not match its body.
  const fromTelemetry = async (request: CloudFrontRequest, body: Buffer): Promise<OriginAnswer> => {
    if (!telemetry)
      return {
        status: 502,
        headers: { 'content-type': 'text/plain' },
        body: Buffer.from('preview: no telemetry handler'),
      };
    const forwarded = Object.fromEntries(
      Object.entries(request.headers).filter(([name]) =>
        (TELEMETRY_FORWARDED_HEADERS as readonly string[]).includes(name),
      ),
    );
    const hashed = await hashPayload({
      method: request.method,
      headers: {},
      body: { data: body.toString('base64'), encoding: 'base64', inputTruncated: body.length > EDGE_BODY_LIMIT },
    });
    if ('status' in hashed)
      return {
        status: Number(hashed.status),
        headers: { 'content-type': 'text/plain' },
        body: Buffer.from(hashed.statusDescription),
      };
    const payloadHash = hashed.headers[PAYLOAD_HASH_HEADER]?.[0]?.value;
    if (payloadHash !== createHash('sha256').update(body).digest('hex')) {
      return {
        status: 403,
        headers: { 'content-type': 'application/json' },
        body: Buffer.from(
          '{"message":"The request signature we calculated does not match the signature you provided."}',
        ),
      };
    }
    return fromFunctionUrl(telemetry, { ...request, headers: forwarded }, body);
  };

  const answer = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://preview.local');
    const behaviour = model.behaviours.find((b) => pathPatternMatches(b.pathPattern, url.pathname))!;
    let origin: OriginAnswer;
    let viewerEvent: CloudFrontEvent | undefined;
    if (!behaviour.allowedMethods.includes(req.method ?? 'GET')) {
      origin = {
        status: 403,
        headers: { 'content-type': 'text/plain' },
        body: Buffer.from('This distribution is not configured to allow the HTTP request method.'),
      };
    } else {
      const event = viewerRequestEvent(req, url);
      viewerEvent = copyOf(event);
      const routed = behaviour.viewerRequestCode
        ? await compiled<ViewerRequestHandler>(behaviour.viewerRequestCode)(event)
        : event.request;
      if (isResponse(routed)) {
        // CloudFront runs no viewer-response function on an answer the viewer-request function made.
        viewerEvent = undefined;
        const headers = Object.fromEntries(Object.entries(routed.headers ?? {}).map(([n, h]) => [n, h.value]));
        const body = typeof routed.body === 'string' ? routed.body : (routed.body?.data ?? '');
        origin = { status: routed.statusCode, headers, body: Buffer.from(body) };
      } else {
        origin =
          behaviour.origin === 'health'
            ? await fromFunctionUrl(options.healthHandler, routed)
            : behaviour.origin === 'telemetry'
              ? await fromTelemetry(routed, await requestBody(req))
              : fromBucket(model, routed);
      }
    }
    let headers: Record<string, string | string[]> = applyPolicy(behaviour, origin);
    if (viewerEvent && behaviour.viewerResponseCode)
      headers = await afterViewerResponse(
        compiled<ViewerResponseHandler>(behaviour.viewerResponseCode),
        viewerEvent,
        headers as Record<string, string>,
        origin.status,
      );
    res.writeHead(origin.status, headers);
    res.end(req.method === 'HEAD' ? undefined : origin.body);
  };

  const server = createServer((req, res) => {
    answer(req, res).catch((error) => {
      // A function or handler that throws is a 502/503 at CloudFront; say so loudly here.
      console.error(`preview: ${req.method} ${req.url} failed: ${(error as Error).message}`);
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('502 Bad Gateway (preview: see the console)');
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  telemetry = options.telemetryHandler?.(url);
  return { server, url };
}
