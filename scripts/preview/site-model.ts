/**
 * What one environment's distribution would serve, read from the synthesized assembly (not a second copy of the
 * rules): its behaviours in order with their response-headers policies and viewer-request function, the objects
 * each BucketDeployment would upload with their Cache-Control, the live release the pointer would hold, and the
 * health function's environment.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudAssembly, CloudFormationStackArtifact } from 'aws-cdk-lib/cx-api';
import { listFiles } from '../../lib/site/release-content';
import { EnvironmentName } from '../../lib/config';
import { STAGE_IDS } from '../../lib/stage-ids';
import { assetFolder, environmentStacks } from '../lib/read-assembly';
import { PolicyHeaders, policyHeaders } from '../lib/response-headers';
import { contentTypeOf } from './content-type';
import { functionCodeOf } from './cloudfront-function';
import { TELEMETRY_PATH_PATTERN } from '../../lib/telemetry/paths';
import {
  CacheBehavior,
  DistributionProperties,
  LambdaFunctionProperties,
  propertiesOf,
  refId,
  Resources,
  ResponseHeadersPolicyProperties,
  Template,
} from '../../tools/analysis/template';
import {
  readVocabulary,
  Vocabulary,
  VOCABULARY_FILE_NAME,
  VOCABULARY_LAYER_DIR,
} from '../../lambda/telemetry/vocabulary';

export interface StoredObject {
  readonly body: Buffer;
  readonly contentType: string;
  readonly cacheControl: string;
  readonly etag: string;
}

export interface Behaviour {
  readonly pathPattern: string;
  readonly origin: 'bucket' | 'health' | 'telemetry';
  /** The methods CloudFront forwards on this behaviour (others get its 403). */
  readonly allowedMethods: readonly string[];
  readonly headers: PolicyHeaders;
  /** The viewer-request function's code, if one is associated. */
  readonly viewerRequestCode?: string;
  /** The viewer-response function's code, if one is associated. */
  readonly viewerResponseCode?: string;
}

export interface SiteModel {
  readonly envName: EnvironmentName;
  /** Cache behaviours in CloudFront's order, the default (`*`) last. */
  readonly behaviours: readonly Behaviour[];
  /** Bucket key → object, as the uploads would leave the bucket. */
  readonly objects: ReadonlyMap<string, StoredObject>;
  /** The KeyValueStore's content after the deploy's pointer move. */
  readonly keyValueStore: ReadonlyMap<string, string>;
  /** The health function's literal environment variables. */
  readonly healthEnvironment: Readonly<Record<string, string>>;
  /** The telemetry collector's literal environment variables. */
  readonly telemetryEnvironment: Readonly<Record<string, string>>;
  /** The collector's vocabulary, read from its layer's asset: what the deployed collector would keep. */
  readonly telemetryVocabulary: Vocabulary;
  /** S3 answers a missing key with 404 only when the reader may list the bucket; otherwise 403. */
  readonly missingObjectStatus: 404 | 403;
}

/** A Custom::CDKBucketDeployment's upload: the staged assets it copies, where to, with which Cache-Control. */
interface BucketDeploymentProperties {
  readonly SourceObjectKeys: readonly string[];
  readonly DestinationBucketKeyPrefix?: string;
  readonly SystemMetadata?: { readonly 'cache-control'?: string };
}

interface PolicyStatement {
  readonly Effect?: string;
  readonly Principal?: unknown;
  readonly Action?: string | readonly string[];
}

function stackNamed(assembly: CloudAssembly, envName: EnvironmentName, part: string): CloudFormationStackArtifact {
  const name = `${STAGE_IDS[envName]}-${part}`;
  const stack = environmentStacks(assembly, envName).find((s) => s.stackName === name);
  if (!stack) throw new Error(`the synthesized app has no stack ${name}`);
  return stack;
}

function behavioursOf(resources: Resources): Behaviour[] {
  const distribution = Object.values(resources).find((r) => r.Type === 'AWS::CloudFront::Distribution');
  if (!distribution) throw new Error('the Site stack has no CloudFront distribution');
  const config = propertiesOf<DistributionProperties>(distribution)?.DistributionConfig;
  if (!config) throw new Error("the Site stack's CloudFront distribution has no DistributionConfig");
  const healthOrigins = new Set(config.Origins.filter((o) => !o.S3OriginConfig).map((o) => o.Id));
  const toBehaviour = (b: CacheBehavior, pathPattern: string): Behaviour => {
    const policyId = refId(b.ResponseHeadersPolicyId);
    const policy = policyId
      ? propertiesOf<ResponseHeadersPolicyProperties>(resources[policyId])?.ResponseHeadersPolicyConfig
      : undefined;
    const codeFor = (eventType: string) => {
      const fnId = (b.FunctionAssociations ?? [])
        .filter((a) => a.EventType === eventType)
        .map((a) => refId(a.FunctionARN))[0];
      return fnId ? functionCodeOf(propertiesOf<{ FunctionCode: unknown }>(resources[fnId])?.FunctionCode) : undefined;
    };
    return {
      pathPattern,
      origin:
        pathPattern === TELEMETRY_PATH_PATTERN
          ? 'telemetry'
          : healthOrigins.has(b.TargetOriginId)
            ? 'health'
            : 'bucket',
      allowedMethods: b.AllowedMethods ?? ['GET', 'HEAD'],
      headers: policy ? policyHeaders(policy) : { values: {}, removed: [] },
      viewerRequestCode: codeFor('viewer-request'),
      viewerResponseCode: codeFor('viewer-response'),
    };
  };
  return [
    ...(config.CacheBehaviors ?? []).map((b) => toBehaviour(b, b.PathPattern)),
    toBehaviour(config.DefaultCacheBehavior, '*'),
  ];
}

function objectsOf(assembly: CloudAssembly, resources: Resources): Map<string, StoredObject> {
  const objects = new Map<string, StoredObject>();
  for (const deployment of Object.values(resources).filter((r) => r.Type === 'Custom::CDKBucketDeployment')) {
    const p = propertiesOf<BucketDeploymentProperties>(deployment);
    if (!p) throw new Error('a BucketDeployment of the Site stack has no properties');
    const cacheControl = p.SystemMetadata?.['cache-control'] ?? '';
    for (const objectKey of p.SourceObjectKeys) {
      const folder = assetFolder(assembly, objectKey);
      for (const file of listFiles(folder)) {
        const body = readFileSync(join(folder, file));
        if (body.includes('<<marker:'))
          throw new Error(`${file} holds a deploy-time value (a CloudFormation token); preview cannot know it offline`);
        objects.set(`${p.DestinationBucketKeyPrefix ?? ''}${file}`, {
          body,
          contentType: contentTypeOf(file),
          cacheControl,
          etag: `"${createHash('md5').update(body).digest('hex')}"`,
        });
      }
    }
  }
  return objects;
}

function liveReleaseOf(resources: Resources): Map<string, string> {
  const pointer = Object.values(resources).find((r) => r.Type === 'Custom::MikoLiveRelease');
  return new Map(pointer ? [['live-release', String(pointer.Properties?.ReleaseId)]] : []);
}

/** The literal environment of the function behind a stack's function URL (health, telemetry). */
function functionUrlEnvironmentOf(resources: Resources): Record<string, string> {
  const url = Object.values(resources).find((r) => r.Type === 'AWS::Lambda::Url');
  const fn = url && resources[refId(url.Properties?.TargetFunctionArn) ?? ''];
  const variables = propertiesOf<LambdaFunctionProperties>(fn)?.Environment?.Variables ?? {};
  return Object.fromEntries(Object.entries(variables).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

function telemetryVocabularyOf(assembly: CloudAssembly, resources: Resources): Vocabulary {
  const layer = Object.values(resources).find((r) => r.Type === 'AWS::Lambda::LayerVersion');
  if (!layer) throw new Error('the Telemetry stack has no vocabulary layer');
  const objectKey = propertiesOf<{ Content?: { S3Key?: string } }>(layer)?.Content?.S3Key;
  if (!objectKey) throw new Error("the Telemetry stack's vocabulary layer has no staged asset");
  return readVocabulary(join(assetFolder(assembly, objectKey), VOCABULARY_LAYER_DIR, VOCABULARY_FILE_NAME));
}

/** Whether the bucket policy lets CloudFront list the bucket (so a missing key is a 404, not a 403). */
function missingObjectStatusOf(resources: Resources): 404 | 403 {
  const statements = Object.values(resources)
    .filter((r) => r.Type === 'AWS::S3::BucketPolicy')
    .flatMap(
      (r) => propertiesOf<{ PolicyDocument?: { Statement?: PolicyStatement[] } }>(r)?.PolicyDocument?.Statement ?? [],
    );
  const listsForCloudFront = statements.some(
    (st) =>
      st.Effect === 'Allow' &&
      JSON.stringify(st.Principal ?? {}).includes('cloudfront.amazonaws.com') &&
      [st.Action].flat().includes('s3:ListBucket'),
  );
  return listsForCloudFront ? 404 : 403;
}

export function loadSiteModel(assembly: CloudAssembly, envName: EnvironmentName): SiteModel {
  const partResources = (part: string): Resources =>
    (stackNamed(assembly, envName, part).template as Template).Resources ?? {};
  const site = partResources('Site');
  const health = partResources('Health');
  const telemetry = partResources('Telemetry');
  return {
    envName,
    behaviours: behavioursOf(site),
    objects: objectsOf(assembly, site),
    keyValueStore: liveReleaseOf(site),
    healthEnvironment: functionUrlEnvironmentOf(health),
    telemetryEnvironment: functionUrlEnvironmentOf(telemetry),
    telemetryVocabulary: telemetryVocabularyOf(assembly, telemetry),
    missingObjectStatus: missingObjectStatusOf(site),
  };
}
