// Viewer-request CloudFront Function (runtime cloudfront-js-2.0): routes every request to the live release.
//
// The live release id lives in the distribution's KeyValueStore under "live-release"; moving it is a deploy or a
// rollback. Rules:
//   - every request gets the header x-miko-release = <live id> (or "unknown"), which the health API reports;
//   - /health* and /_telemetry/* are left alone (their own behaviours and origins);
//   - /assets/* passes through: hashed, immutable files shared by every release, so open tabs keep their chunks;
//   - /config.json and /version.json, and any other path with an extension, go to the live release's copy; a
//     missing file is a real 404, never index.html;
//   - paths under /.well-known/ are never rewritten to the app: they are files, with or without an extension;
//   - any other extensionless path is a route of the SPA: the live release's index.html.
import cf from 'cloudfront';

const kvs = cf.kvs('__KVS_ID__');
const LIVE_RELEASE_KEY = 'live-release';
const NO_RELEASE = 'none';

async function liveRelease() {
  try {
    return await kvs.get(LIVE_RELEASE_KEY);
  } catch (err) {
    // No pointer yet (before the first release) or a read error: say so instead of guessing.
    return undefined;
  }
}

async function handler(event) {
  const request = event.request;
  const release = await liveRelease();
  request.headers['x-miko-release'] = { value: release || 'unknown' };

  const uri = request.uri;
  if (uri.startsWith('/health') || uri.startsWith('/_telemetry/') || uri.startsWith('/assets/')) return request;

  // Before the first release every path lands in a prefix that does not exist (a 404): a bare "/" must never
  // reach the bucket, where it would be a listing request.
  const prefix = '/releases/' + (release || NO_RELEASE);
  const lastSegment = uri.substring(uri.lastIndexOf('/') + 1);
  if (uri.startsWith('/.well-known/') || lastSegment.indexOf('.') !== -1) {
    request.uri = prefix + uri;
  } else {
    request.uri = prefix + '/index.html';
  }
  return request;
}
