/**
 * What the edge serves, as one KeyValueStore holds it (keys shared with lib/site/routing.ts): the live release, an
 * optional weighted canary and the flag overrides. Every change is one UpdateKeys conditional on the ETag read, so
 * a second writer gets ConflictException and reads again.
 */
import '@aws-sdk/signature-v4a';
import {
  CloudFrontKeyValueStoreClient,
  DescribeKeyValueStoreCommand,
  GetKeyCommand,
  UpdateKeysCommand,
} from '@aws-sdk/client-cloudfront-keyvaluestore';
import { LIVE_RELEASE_KEY } from './release-pointer';

export const CANARY_KEY = 'canary';
export const FLAGS_KEY = 'flags';

/** A KeyValueStore value holds at most 1 KB; an abort's reason (an alarm's, an operator's) is cut to fit. */
export const MAX_ABORT_REASON_CHARS = 300;

export interface Canary {
  readonly release: string;
  /** Percent of browsers (0-100) the canary serves; 0 after an abort. */
  readonly weight: number;
  /** Set by an abort: why the canary stopped serving. */
  readonly abortedBecause?: string;
}

/** A flag's stored override: a value of its type, or a percentage rollout. */
export type StoredFlag = boolean | { readonly percent: number };

export interface ReleaseState {
  readonly live?: string;
  readonly canary?: Canary;
  readonly flags: Readonly<Record<string, StoredFlag>>;
}

export interface ReleaseStateChange {
  readonly live?: string;
  /** null removes the canary. */
  readonly canary?: Canary | null;
  readonly flags?: Readonly<Record<string, StoredFlag>>;
}

async function getKey(kvs: CloudFrontKeyValueStoreClient, kvsArn: string, key: string): Promise<string | undefined> {
  try {
    return (await kvs.send(new GetKeyCommand({ KvsARN: kvsArn, Key: key }))).Value;
  } catch (error) {
    if ((error as { name?: string }).name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

function parsed<T>(key: string, text: string | undefined, fallback: T): T {
  if (text === undefined) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(
      `the store's "${key}" is not JSON (${text.slice(0, 80)}). Fix: set it again with npm run release or npm run flag.`,
    );
  }
}

/** The state and the ETag it was read under (read first, so any later write makes a write with it fail). */
export async function readReleaseState(
  kvs: CloudFrontKeyValueStoreClient,
  kvsArn: string,
): Promise<{ state: ReleaseState; etag: string }> {
  const { ETag } = await kvs.send(new DescribeKeyValueStoreCommand({ KvsARN: kvsArn }));
  if (!ETag) throw new Error(`the KeyValueStore ${kvsArn} answered without an ETag`);
  const [live, canary, flags] = await Promise.all(
    [LIVE_RELEASE_KEY, CANARY_KEY, FLAGS_KEY].map((key) => getKey(kvs, kvsArn, key)),
  );
  return {
    etag: ETag,
    state: {
      live,
      canary: parsed<Canary | undefined>(CANARY_KEY, canary, undefined),
      flags: parsed<Record<string, StoredFlag>>(FLAGS_KEY, flags, {}),
    },
  };
}

/** Applies `change` in one conditional write; throws ConflictException when the store moved since `etag`. */
export async function writeReleaseState(
  kvs: CloudFrontKeyValueStoreClient,
  kvsArn: string,
  etag: string,
  change: ReleaseStateChange,
): Promise<void> {
  const puts: Array<{ Key: string; Value: string }> = [];
  const deletes: Array<{ Key: string }> = [];
  if (change.live !== undefined) puts.push({ Key: LIVE_RELEASE_KEY, Value: change.live });
  if (change.canary === null) deletes.push({ Key: CANARY_KEY });
  else if (change.canary) {
    const { abortedBecause } = change.canary;
    const canary =
      abortedBecause && abortedBecause.length > MAX_ABORT_REASON_CHARS
        ? { ...change.canary, abortedBecause: `${abortedBecause.slice(0, MAX_ABORT_REASON_CHARS - 1)}…` }
        : change.canary;
    puts.push({ Key: CANARY_KEY, Value: JSON.stringify(canary) });
  }
  if (change.flags) puts.push({ Key: FLAGS_KEY, Value: JSON.stringify(change.flags) });
  if (puts.length === 0 && deletes.length === 0) return;
  await kvs.send(
    new UpdateKeysCommand({
      KvsARN: kvsArn,
      IfMatch: etag,
      ...(puts.length && { Puts: puts }),
      ...(deletes.length && { Deletes: deletes }),
    }),
  );
}

/** How many times an automated writer re-reads and retries when another write got in between. */
const CONFLICT_RETRIES = 3;

/**
 * Read, decide, write; again when another writer got in between. `decide` returns undefined for "nothing to change".
 * Returns the state before and the change written (or undefined).
 */
export async function updateReleaseState(
  kvs: CloudFrontKeyValueStoreClient,
  kvsArn: string,
  decide: (state: ReleaseState) => ReleaseStateChange | undefined,
): Promise<{ before: ReleaseState; change?: ReleaseStateChange }> {
  for (let attempt = 1; ; attempt++) {
    const { state, etag } = await readReleaseState(kvs, kvsArn);
    const change = decide(state);
    if (!change) return { before: state };
    try {
      await writeReleaseState(kvs, kvsArn, etag, change);
      return { before: state, change };
    } catch (error) {
      if ((error as { name?: string }).name !== 'ConflictException' || attempt >= CONFLICT_RETRIES) throw error;
    }
  }
}
