/**
 * CloudFront's CreateInvalidation (REST/XML, 2020-05-31) on 127.0.0.1, as @aws-sdk/client-cloudfront sends it:
 * only the known distribution id (else NoSuchDistribution), a caller reference required, each invalidation
 * recorded with its paths. The preview caches nothing, so the record is what a real edge would drop.
 */
import { LocalServer, listenWithBody } from './http';

export interface RecordedInvalidation {
  readonly id: string;
  readonly paths: readonly string[];
  readonly callerReference: string;
}

export class FakeCloudFront {
  readonly invalidations: RecordedInvalidation[] = [];
  private server?: LocalServer;

  constructor(readonly distributionId: string) {}

  async start(): Promise<string> {
    this.server = await listenWithBody((req, body, res) => {
      const xml = (status: number, text: string, headers: Record<string, string> = {}) =>
        res
          .writeHead(status, { 'content-type': 'text/xml', ...headers })
          .end(`<?xml version="1.0" encoding="UTF-8"?>${text}`);
      const match = /^\/2020-05-31\/distribution\/([^/]+)\/invalidation$/.exec(
        new URL(req.url ?? '/', 'http://x').pathname,
      );
      if (req.method !== 'POST' || !match)
        return xml(
          400,
          `<ErrorResponse><Error><Code>InvalidArgument</Code><Message>not implemented: ${req.method} ${req.url}</Message></Error></ErrorResponse>`,
        );
      if (match[1] !== this.distributionId)
        return xml(
          404,
          '<ErrorResponse><Error><Code>NoSuchDistribution</Code><Message>The specified distribution does not exist.</Message></Error></ErrorResponse>',
        );
      const paths = [...body.matchAll(/<Path>([^<]*)<\/Path>/g)].map((m) => m[1]);
      const callerReference = /<CallerReference>([^<]+)<\/CallerReference>/.exec(body)?.[1];
      if (!callerReference || paths.length === 0)
        return xml(
          400,
          '<ErrorResponse><Error><Code>MissingBody</Code><Message>CallerReference and Paths are required.</Message></Error></ErrorResponse>',
        );
      const id = `I${String(this.invalidations.length + 1).padStart(13, '0')}`;
      this.invalidations.push({ id, paths, callerReference });
      return xml(
        201,
        `<Invalidation><Id>${id}</Id><Status>InProgress</Status><CreateTime>${new Date().toISOString()}</CreateTime><InvalidationBatch><Paths><Quantity>${paths.length}</Quantity><Items>${paths.map((p) => `<Path>${p}</Path>`).join('')}</Items></Paths><CallerReference>${callerReference}</CallerReference></InvalidationBatch></Invalidation>`,
        {
          location: `https://cloudfront.amazonaws.com/2020-05-31/distribution/${this.distributionId}/invalidation/${id}`,
        },
      );
    });
    return this.server.url;
  }

  async stop(): Promise<void> {
    await this.server?.close();
  }
}
