/**
 * Privacy before storage (pure). Query strings and fragments leave every URL (a booking link or a search can carry
 * a patient's name or e-mail), and free text loses anything shaped like contact data or a credential. What remains
 * is what an engineer needs to fix a bug: origins, paths, function names, line numbers.
 */

/** The placeholder for each kind of thing removed; readable in a log line and stable for fingerprints. */
export const REDACTED = {
  email: '[email]',
  phone: '[phone]',
  date: '[date]',
  number: '[number]',
  jwt: '[jwt]',
  key: '[key]',
  id: ':id',
} as const;

/** CSP `blocked-uri` keywords that are not URLs and carry nothing personal. */
const URI_KEYWORDS = new Set(['inline', 'eval', 'wasm-eval', 'self', 'trusted-types-policy', 'trusted-types-sink', '']);

const BARE_SCHEMES = new Set(['data', 'blob', 'filesystem', 'mediastream']);

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
// Three base64url parts, the first starting like a JSON header ("eyJ" = '{"').
const JWT = /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/g;
// Credential prefixes of the platform's providers, then any long unbroken token with letters and digits mixed.
const KEY_PREFIXED =
  /\b(?:sb_secret_|sb_publishable_|sk_live_|sk_test_|AKIA|ASIA|AIza|ghp_|xox[bap]-)[A-Za-z0-9_-]{8,}/g;
const LONG_TOKEN = /\b(?=[A-Za-z0-9_-]*[0-9])(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{32,}\b/g;
// Phone-like: digits with the usual separators, counted below (at least 7 digits).
const PHONE_CANDIDATE = /(?:\+\d|\(\d|\b\d)[\d ().-]{5,}\d\b/g;
// A date in a message is most often a birth date or an appointment: personal either way.
const DATE = /\b(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}\/\d{1,2}\/\d{2,4})\b/g;
const LONG_DIGITS = /\d{6,}/g;
// The query ends before a stack frame's ":line:column", which stays.
const URL_WITH_QUERY = /\b((?:https?|wss?):\/\/[^\s?#'"()<>]+)[?#][^\s'"()<>]*?(?=(?::\d+:\d+)?(?:[\s'"()<>]|$))/g;

/** Redacts contact data and credentials from free text (a message, a stack, a script sample). */
export function redactText(text: string): string {
  return (
    text
      .replace(URL_WITH_QUERY, '$1')
      .replace(JWT, REDACTED.jwt)
      .replace(KEY_PREFIXED, REDACTED.key)
      .replace(EMAIL, REDACTED.email)
      .replace(LONG_TOKEN, REDACTED.key)
      .replace(DATE, REDACTED.date)
      // A phone number is written with separators; an unbroken run of digits is a [number] (an MRN, an id).
      .replace(PHONE_CANDIDATE, (match) =>
        (match.match(/\d/g)?.length ?? 0) >= 7 && /[ ().+-]/.test(match) ? REDACTED.phone : match,
      )
      .replace(LONG_DIGITS, REDACTED.number)
  );
}

// Path segments that name a record rather than a route: numbers, UUIDs, long hex ids.
const ID_SEGMENT = /^(?:\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{16,})$/i;

/** A path without query or fragment, its id-like segments replaced and any contact data in it redacted. */
export function redactPath(path: string): string {
  const bare = path.split(/[?#]/, 1)[0];
  return bare
    .split('/')
    .map((segment) => (ID_SEGMENT.test(segment) ? REDACTED.id : redactText(safeDecode(segment))))
    .join('/');
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * A URL as stored: origin and redacted path only. `data:`/`blob:` URLs keep just their scheme (a data URL is the
 * content itself); CSP keywords (`inline`, `eval`) stay; anything unparsable is reduced like a path.
 */
export function redactUrl(value: string): string {
  const trimmed = value.trim();
  if (URI_KEYWORDS.has(trimmed)) return trimmed;
  // report-uri reports name a data:/blob: load by its bare scheme ("data"); the Reporting API writes "data:".
  if (BARE_SCHEMES.has(trimmed)) return `${trimmed}:`;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(trimmed)?.[1]?.toLowerCase();
  if (scheme === 'data' || scheme === 'blob' || scheme === 'filesystem' || scheme === 'about') return `${scheme}:`;
  if (scheme && !trimmed.includes('//')) return `${scheme}:`;
  try {
    const url = new URL(trimmed);
    return `${url.origin}${redactPath(url.pathname)}`;
  } catch {
    return redactPath(trimmed);
  }
}

/** The path of a page URL (no origin: it is always the site's own). */
export function pagePathOf(value: string): string {
  try {
    return redactPath(new URL(value).pathname);
  } catch {
    return redactPath(value.startsWith('/') ? value : `/${value}`);
  }
}

/** The first `count` characters after redaction, so a cap can never cut a placeholder in half. */
export function capped(text: string, count: number): string {
  const redacted = redactText(text);
  return redacted.length <= count ? redacted : `${redacted.slice(0, count)}…`;
}
