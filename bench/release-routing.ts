/**
 * The routing functions against CloudFront Functions' limits: the synthesized code's size, and one call's time in
 * Node (JIT-warm, store as a map), a relative indication only. CloudFront's own measure comes only from an account:
 * `aws cloudfront test-function --stage LIVE`, read ComputeUtilization (0-100; CloudFront throttles above 100).
 */
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { FUNCTION_CODE_LIMIT_BYTES } from '../lib/site/routing';
import {
  compileCloudFrontFunction,
  CloudFrontEvent,
  ViewerRequestHandler,
  ViewerResponseHandler,
} from '../scripts/preview/cloudfront-function';
import { loadSiteModel } from '../scripts/preview/site-model';
import { printTable } from './measure';

const CALLS = 20_000;

async function microsecondsPerCall(run: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 2_000; i++) await run(i); // warm the JIT
  const started = performance.now();
  for (let i = 0; i < CALLS; i++) await run(i);
  return ((performance.now() - started) * 1000) / CALLS;
}

export async function benchReleaseRouting(assembly: CloudAssembly): Promise<void> {
  const model = loadSiteModel(assembly, 'production');
  const behaviour = model.behaviours.find((b) => b.pathPattern === '*')!;
  const store = new Map([
    ['live-release', 'r-live'],
    ['canary', JSON.stringify({ release: 'r-canary', weight: 5 })],
    ['flags', JSON.stringify({ smsReminders: { percent: 20 } })],
  ]);
  const request = compileCloudFrontFunction<ViewerRequestHandler>(behaviour.viewerRequestCode!, store);
  const response = compileCloudFrontFunction<ViewerResponseHandler>(behaviour.viewerResponseCode!, store);
  const event = (i: number, uri: string, cookie: boolean): CloudFrontEvent => ({
    request: {
      uri,
      method: 'GET',
      querystring: {},
      headers: { 'user-agent': { value: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) Safari/604.1' } },
      cookies: cookie ? { 'miko-bucket': { value: String(i % 10_000) } } : {},
    },
    viewer: { ip: `198.51.${i % 256}.${(i >> 8) % 256}` },
  });
  const rows = [
    ['viewer-request, a page, first visit (hash)', (i: number) => request(event(i, '/booking', false))],
    ['viewer-request, a page, with the cookie', (i: number) => request(event(i, '/booking', true))],
    ['viewer-request, /flags.json (flags parsed, rollout)', (i: number) => request(event(i, '/flags.json', true))],
    [
      'viewer-response, first visit (cookie set)',
      (i: number) => response({ ...event(i, '/', false), response: { statusCode: 200, headers: {}, cookies: {} } }),
    ],
  ] as const;
  const measured: string[][] = [];
  for (const [name, run] of rows) measured.push([name, (await microsecondsPerCall(run)).toFixed(2)]);
  printTable(
    'Routing functions in Node (not CloudFront’s compute utilisation; see bench/release-routing.ts)',
    ['call', 'µs per call (Node, warm)'],
    measured,
  );
  printTable(
    'Routing functions’ size (synthesized code)',
    ['function', 'bytes', `limit ${FUNCTION_CODE_LIMIT_BYTES}`],
    [
      ['viewer-request', String(Buffer.byteLength(behaviour.viewerRequestCode!)), ''],
      ['viewer-response', String(Buffer.byteLength(behaviour.viewerResponseCode!)), ''],
    ],
  );
}
