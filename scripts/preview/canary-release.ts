/**
 * A second build beside the synthesized release, as a canary deploy would leave the bucket (app contract checked,
 * hashed files in assets/, the rest under releases/<id>/ with the deploy's HTML, config.json and Cache-Control),
 * built with the deploy's own functions (lib/site/release-content.ts) so the preview shows the split before a deploy.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertAppContract } from '../../lib/app-contract';
import type { EnvironmentConfig } from '../../lib/config';
import {
  CACHE_CONTROL,
  classifyFile,
  listFiles,
  releasedHtml,
  resolveReleaseId,
  runtimeConfig,
  versionInfo,
} from '../../lib/site/release-content';
import { contentTypeOf } from './content-type';
import type { SiteModel, StoredObject } from './site-model';

function stored(key: string, body: Buffer, cacheControl: string): StoredObject {
  return {
    body,
    contentType: contentTypeOf(key),
    cacheControl,
    etag: `"${createHash('md5').update(body).digest('hex')}"`,
  };
}

export function withCanaryDist(
  model: SiteModel,
  config: EnvironmentConfig,
  dist: string,
): { model: SiteModel; canaryRelease: string } {
  assertAppContract(dist, [config]);
  const release = resolveReleaseId({
    appDist: dist,
    runtimeConfigFingerprint: JSON.stringify(runtimeConfig({ config, release: '' })),
  });
  if (release === model.keyValueStore.get('live-release'))
    throw new Error(
      `${dist} is the same build as the live release ${release}. Fix: build the change you want to compare.`,
    );
  const read = (path: string) => {
    try {
      return readFileSync(join(dist, path));
    } catch {
      return undefined;
    }
  };
  const objects = new Map(model.objects);
  for (const file of listFiles(dist)) {
    const fileClass = classifyFile(file);
    const key = fileClass === 'assets' ? file : `releases/${release}/${file}`;
    const body = /\.html?$/i.test(file)
      ? Buffer.from(releasedHtml(readFileSync(join(dist, file), 'utf8'), release, read))
      : readFileSync(join(dist, file));
    objects.set(key, stored(key, body, CACHE_CONTROL[fileClass]));
  }
  const json = (value: unknown) => Buffer.from(JSON.stringify(value));
  objects.set(
    `releases/${release}/config.json`,
    stored('config.json', json(runtimeConfig({ config, release })), CACHE_CONTROL.documents),
  );
  objects.set(
    `releases/${release}/version.json`,
    stored('version.json', json(versionInfo(release, process.env)), CACHE_CONTROL.documents),
  );
  return { model: { ...model, objects }, canaryRelease: release };
}
