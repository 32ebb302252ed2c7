/**
 * The live-release pointer (a CloudFront KeyValueStore) and the one viewer-request function that reads it.
 *
 * A KeyValueStore write reaches every edge location in seconds, without a distribution update, so a deploy's
 * final step and a rollback are both one PutKey (see `releases.ts` and scripts/rollback.ts).
 */
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { Construct } from 'constructs';
import { assertCloudFrontFunctionSize } from '../shared/service-limits';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The KeyValueStore key holding the live release id. */
export const LIVE_RELEASE_KEY = 'live-release';

/** The function's source, with `__KVS_ID__` where the store's id goes (tests load it with a fake store). */
export const VIEWER_REQUEST_SOURCE = join(__dirname, 'routing', 'viewer-request.js');

export class SiteRouting extends Construct {
  readonly releasePointer: cloudfront.KeyValueStore;
  readonly viewerRequest: cloudfront.Function;

  constructor(scope: Construct, id: string, props: { envName: string }) {
    super(scope, id);
    this.releasePointer = new cloudfront.KeyValueStore(this, 'ReleasePointer', {
      comment: `MiKO ${props.envName}: the live release id, read by the viewer-request function`,
    });
    const source = readFileSync(VIEWER_REQUEST_SOURCE, 'utf8').replace(
      '__KVS_ID__',
      this.releasePointer.keyValueStoreId,
    );
    assertCloudFrontFunctionSize(VIEWER_REQUEST_SOURCE, source);
    this.viewerRequest = new cloudfront.Function(this, 'ViewerRequest', {
      comment: `MiKO ${props.envName}: SPA routing to the live release`,
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      keyValueStore: this.releasePointer,
      code: cloudfront.FunctionCode.fromInline(source),
      autoPublish: true,
    });
  }
}
