// Shared by the viewer-request and viewer-response functions (lib/site/routing.ts puts it in front of each).
//
// Every browser has a bucket in [0, 10000): the miko-bucket cookie when it sends one, otherwise a hash of its
// address and User-Agent, so a browser without cookies stays put too. A canary with weight w (percent) serves the
// buckets below w × 100: raising the weight keeps everyone already on the canary there, and weight 0 serves no one.
// Both functions compute the same answer from the same request, so the response names the release the request got.
import cf from 'cloudfront';

const kvs = cf.kvs('__KVS_ID__');
const LIVE_RELEASE_KEY = 'live-release';
const CANARY_KEY = 'canary';
const BUCKET_COOKIE = 'miko-bucket';
const BUCKETS = 10000;

// FNV-1a in 32 bits; the shifts are the FNV prime's multiplication without Math.imul.
function fnv1a(text) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = (hash + (hash << 1) + (hash << 4) + (hash << 7) + (hash << 8) + (hash << 24)) >>> 0;
  }
  return hash;
}

function assignedBucket(event) {
  const cookie = event.request.cookies && event.request.cookies[BUCKET_COOKIE];
  if (cookie && /^[0-9]{1,4}$/.test(cookie.value)) return { bucket: Number(cookie.value), fromCookie: true };
  const agent = event.request.headers['user-agent'];
  return { bucket: fnv1a(event.viewer.ip + '|' + (agent ? agent.value : '')) % BUCKETS, fromCookie: false };
}

async function readKey(key) {
  try {
    return await kvs.get(key);
  } catch (err) {
    // A missing key (no release yet, no canary) or a read error: the caller falls back, never guesses.
    return undefined;
  }
}

// The release this bucket gets: the canary's when its weight covers the bucket, else the live one (or undefined).
async function releaseFor(bucket) {
  const live = await readKey(LIVE_RELEASE_KEY);
  const canaryText = await readKey(CANARY_KEY);
  if (!canaryText) return live;
  try {
    const canary = JSON.parse(canaryText);
    if (typeof canary.release === 'string' && canary.weight > 0 && bucket < canary.weight * 100) return canary.release;
  } catch (err) {
    // A malformed canary entry serves live: a broken write must never take the site down.
  }
  return live;
}
