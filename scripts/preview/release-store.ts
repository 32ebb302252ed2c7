/**
 * The preview's release store: the release stand-in (tools/stand-ins/release-aws.ts) holding what the deploy would
 * leave (the live pointer, and the canary at its weight), with the model's releases listed in its bucket so
 * `npm run release` can check them. The preview's functions read its map on every request.
 */
import type { FakeSiteAws } from '../../tools/stand-ins/release-aws';
import { startFakeSiteAws } from '../../tools/stand-ins/release-aws';
import type { SiteModel } from './site-model';

export async function startReleaseStandIn(
  model: SiteModel,
  stackName: string,
  canaryRelease: string | undefined,
  weight: number,
): Promise<FakeSiteAws> {
  const aws = await startFakeSiteAws(stackName);
  for (const [key, value] of model.keyValueStore) aws.store.set(key, value);
  if (canaryRelease) aws.store.set('canary', JSON.stringify({ release: canaryRelease, weight }));
  const now = new Date();
  for (const key of model.objects.keys()) if (key.startsWith('releases/')) aws.objects.set(key, now);
  return aws;
}
