// Viewer-request CloudFront Function (runtime cloudfront-js-2.0): routes every request to the browser's release
// (the live one, or the canary for the browsers its weight covers: see the assignment part above). Rules:
//   - every request gets the header x-miko-release = <release> (or "unknown"), which the health API reports;
//   - /flags.json is answered here, from the store: the feature flags' current values for this browser;
//   - /health* and /_telemetry/* are left alone (their own behaviours and origins);
//   - /assets/* passes through: hashed, immutable files shared by every release, so open tabs keep their chunks;
//   - /config.json and /version.json, and any other path with an extension, go to the release's copy; a
//     missing file is a real 404, never index.html;
//   - paths under /.well-known/ are never rewritten to the app: they are files, with or without an extension;
//   - any other extensionless path is a route of the SPA: the release's index.html.
const FLAGS_KEY = 'flags';
const FLAG_DEFAULTS = __FLAG_DEFAULTS__;
const NO_RELEASE = 'none';

// Declared flags only, each of its declared type; a percentage rollout ({"percent": p}) is on for p % of the
// buckets, offset by the flag's name so two rollouts do not land on the same browsers.
async function flagValues(bucket) {
  let stored = {};
  try {
    stored = JSON.parse((await readKey(FLAGS_KEY)) || '{}');
  } catch (err) {
    // Malformed values serve the declared defaults.
  }
  const values = {};
  for (const name in FLAG_DEFAULTS) {
    const value = stored[name];
    if (typeof value === typeof FLAG_DEFAULTS[name]) values[name] = value;
    else if (value && typeof value.percent === 'number')
      values[name] = (bucket + fnv1a(name)) % BUCKETS < value.percent * 100;
    else values[name] = FLAG_DEFAULTS[name];
  }
  return values;
}

async function handler(event) {
  const request = event.request;
  const bucket = assignedBucket(event).bucket;
  const release = await releaseFor(bucket);
  request.headers['x-miko-release'] = { value: release || 'unknown' };

  const uri = request.uri;
  if (uri === '/flags.json') {
    return {
      statusCode: 200,
      statusDescription: 'OK',
      headers: {
        'content-type': { value: 'application/json' },
        'cache-control': { value: 'no-store' },
        'x-miko-release': { value: release || 'unknown' },
      },
      body: JSON.stringify(await flagValues(bucket)),
    };
  }
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
