/**
 * One S3 endpoint for several bucket stand-ins (path style, as the SDK addresses an IP endpoint): each request is
 * passed, unchanged, to the server holding the bucket its path names; any other bucket is NoSuchBucket, as S3
 * answers it. So AWS_ENDPOINT_URL_S3 serves the release bucket and the backup vault at once.
 */
import { request } from 'node:http';
import { LocalServer, startLocalServer } from './aws-endpoints';

export function startS3Router(buckets: Record<string, string>): Promise<LocalServer> {
  return startLocalServer((req, res) => {
    const bucket = decodeURIComponent(new URL(req.url ?? '/', 'http://s3.local').pathname.split('/')[1] ?? '');
    const backend = buckets[bucket];
    if (!backend) {
      res
        .writeHead(404, { 'content-type': 'application/xml' })
        .end(
          `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchBucket</Code><Message>${bucket}</Message></Error>`,
        );
      return;
    }
    const target = new URL(req.url ?? '/', backend);
    const forwarded = request(target, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forwarded.on('error', () => res.destroy());
    req.pipe(forwarded);
  });
}
