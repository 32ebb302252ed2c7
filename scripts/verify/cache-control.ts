/** Cache-Control rules per file class (the Site issue's cache table), as predicates with a reason on failure. */

/** The ceiling for "short" caching of un-hashed public files (favicon, robots.txt): they may change with any release. */
export const SHORT_MAX_AGE_LIMIT_SECONDS = 86_400;
/** Hashed assets: a new build gets a new name, so a year and `immutable` is safe and saves every revalidation. */
export const IMMUTABLE_ASSET_CACHE_CONTROL = 'public, max-age=31536000, immutable';

export function parseCacheControl(header: string | null): Map<string, string | true> {
  const directives = new Map<string, string | true>();
  for (const part of (header ?? '').split(',')) {
    const [name, value] = part.trim().split('=', 2);
    if (name) directives.set(name.toLowerCase(), value === undefined ? true : value.replace(/^"|"$/g, ''));
  }
  return directives;
}

/** Returns why the header is wrong for the class, or undefined when it is right. */
export type CacheRule = (header: string | null) => string | undefined;

/** HTML, config.json, version.json: every load revalidates, so a deploy or rollback is seen at once. */
export const mustRevalidate: CacheRule = (header) => {
  const d = parseCacheControl(header);
  return d.has('no-cache') || d.has('no-store') ? undefined : `expected no-cache, got ${JSON.stringify(header)}`;
};

export const immutableForAYear: CacheRule = (header) => {
  const d = parseCacheControl(header);
  const want = parseCacheControl(IMMUTABLE_ASSET_CACHE_CONTROL);
  const same = d.size === want.size && [...want].every(([k, v]) => d.get(k) === v);
  return same ? undefined : `expected "${IMMUTABLE_ASSET_CACHE_CONTROL}", got ${JSON.stringify(header)}`;
};

export const shortLived: CacheRule = (header) => {
  const d = parseCacheControl(header);
  const maxAge = Number(d.get('max-age'));
  if (d.has('immutable')) return `un-hashed file marked immutable (${JSON.stringify(header)})`;
  if (d.has('no-cache') || d.has('no-store')) return undefined; // stricter than needed, still correct
  if (!Number.isFinite(maxAge)) return `expected a short max-age, got ${JSON.stringify(header)}`;
  return maxAge <= SHORT_MAX_AGE_LIMIT_SECONDS
    ? undefined
    : `max-age=${maxAge} is longer than ${SHORT_MAX_AGE_LIMIT_SECONDS} s for an un-hashed file`;
};
