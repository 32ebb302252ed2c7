/**
 * The release store (a CloudFront KeyValueStore: the live release, an optional weighted canary, the feature flags)
 * and its two functions: viewer-request routes each browser to its release and answers /flags.json; viewer-response
 * names the release served and pins the browser's bucket in a cookie. A store write reaches every edge in seconds,
 * so each deploy, canary step, abort, rollback and flag flip is one write.
 */
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { Construct } from 'constructs';
import { assertCloudFrontFunctionSize } from '../shared/service-limits';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The KeyValueStore key holding the live release id. */
export const LIVE_RELEASE_KEY = 'live-release';

/** CloudFront's limit on a function's code (bytes). */
export const FUNCTION_CODE_LIMIT_BYTES = 10_240;

const ROUTING_DIR = join(__dirname, 'routing');

/**
 * A function's source: the shared assignment part, then the function's own, with `__KVS_ID__` where the store's id
 * goes and `__FLAG_DEFAULTS__` where the flags' defaults go (tests run it through the synthesized template).
 */
export function routingFunctionSource(kind: 'viewer-request' | 'viewer-response'): string {
  return [
    readFileSync(join(ROUTING_DIR, 'assignment.js'), 'utf8'),
    readFileSync(join(ROUTING_DIR, `${kind}.js`), 'utf8'),
  ].join('\n');
}

export interface SiteRoutingProps {
  readonly envName: string;
  /** Served by /flags.json for every flag the store does not override. */
  readonly flagDefaults: Readonly<Record<string, boolean>>;
}

export class SiteRouting extends Construct {
  readonly releasePointer: cloudfront.KeyValueStore;
  readonly viewerRequest: cloudfront.Function;
  readonly viewerResponse: cloudfront.Function;

  constructor(scope: Construct, id: string, props: SiteRoutingProps) {
    super(scope, id);
    this.releasePointer = new cloudfront.KeyValueStore(this, 'ReleasePointer', {
      comment: `MiKO ${props.envName}: the live release, the canary and the feature flags, read at the edge`,
    });
    const code = (kind: 'viewer-request' | 'viewer-response') => {
      const source = routingFunctionSource(kind)
        .replace('__KVS_ID__', this.releasePointer.keyValueStoreId)
        .replace('__FLAG_DEFAULTS__', JSON.stringify(props.flagDefaults));
      assertCloudFrontFunctionSize(`lib/site/routing/${kind}.js`, source);
      return cloudfront.FunctionCode.fromInline(source);
    };
    this.viewerRequest = new cloudfront.Function(this, 'ViewerRequest', {
      comment: `MiKO ${props.envName}: SPA routing to the browser's release, and its flags`,
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      keyValueStore: this.releasePointer,
      code: code('viewer-request'),
      autoPublish: true,
    });
    this.viewerResponse = new cloudfront.Function(this, 'ViewerResponse', {
      comment: `MiKO ${props.envName}: names the release served, pins the browser's bucket`,
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      keyValueStore: this.releasePointer,
      code: code('viewer-response'),
      autoPublish: true,
    });
  }
}
