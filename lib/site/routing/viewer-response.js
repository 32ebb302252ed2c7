// Viewer-response CloudFront Function (runtime cloudfront-js-2.0) of the bucket's behaviours: names the release
// served in x-miko-release, and pins a browser that has no bucket cookie yet to the bucket it was just served by.
// CloudFront runs no viewer-response function on an error from the origin, so a 404 carries no release header.
const BUCKET_COOKIE_ATTRIBUTES = 'Path=/; Max-Age=31536000; Secure; HttpOnly; SameSite=Lax';

async function handler(event) {
  const response = event.response;
  const assigned = assignedBucket(event);
  response.headers['x-miko-release'] = { value: (await releaseFor(assigned.bucket)) || 'unknown' };
  if (!assigned.fromCookie) {
    response.cookies[BUCKET_COOKIE] = { value: String(assigned.bucket), attributes: BUCKET_COOKIE_ATTRIBUTES };
  }
  return response;
}
