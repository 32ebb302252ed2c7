/** A synthesized site model with a second release beside the live one, as a canary deploy leaves the bucket. */
import type { SiteModel, StoredObject } from '../../scripts/preview/site-model';

const json = (value: unknown): StoredObject => {
  const body = Buffer.from(JSON.stringify(value));
  return { body, contentType: 'application/json', cacheControl: 'no-cache', etag: `"${body.length}"` };
};
const script = (text: string): StoredObject => ({
  body: Buffer.from(text),
  contentType: 'text/javascript',
  cacheControl: 'public, max-age=31536000, immutable',
  etag: `"${text.length}"`,
});

/**
 * The live release's files copied under `canary`'s prefix with its own config.json and version.json, plus one lazy
 * chunk only each release's HTML would name (assets/live-only.js, assets/canary-only.js).
 */
export function withCanaryRelease(model: SiteModel, canary: string): { model: SiteModel; live: string } {
  const live = model.keyValueStore.get('live-release');
  if (!live) throw new Error('the synthesized model has no live release');
  const objects = new Map(model.objects);
  for (const [key, object] of model.objects)
    if (key.startsWith(`releases/${live}/`))
      objects.set(key.replace(`releases/${live}/`, `releases/${canary}/`), object);
  const config = JSON.parse(model.objects.get(`releases/${live}/config.json`)!.body.toString('utf8'));
  objects.set(`releases/${canary}/config.json`, json({ ...config, release: canary }));
  objects.set(`releases/${canary}/version.json`, json({ release: canary, commit: 'canary', builtAt: 'unknown' }));
  objects.set('assets/live-only.js', script('export const release = "live";'));
  objects.set('assets/canary-only.js', script('export const release = "canary";'));
  return { model: { ...model, objects }, live };
}
