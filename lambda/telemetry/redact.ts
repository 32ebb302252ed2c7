/**
 * Privacy before storage (pure), by allowlist: keep what is code, replace everything else. A word survives only
 * if the browser's engine writes it (engine-words.ts), it names an error class, or the release's own bundle holds
 * it (vocabulary.ts); a path survives as the app's route pattern (`/booking/:id`); every number becomes a
 * placeholder. Shapes of contact data and credentials are replaced first, so they are named in the line, and
 * stay replaced even when made of words the bundle happens to contain ("max(at)gmx.de").
 */
import { ENGINE_VOCABULARY } from './engine-words';
import type { Vocabulary } from './vocabulary';

/** The placeholder for each kind of thing removed; readable in a log line and stable for fingerprints. */
export const REDACTED = {
  text: '[redacted]',
  email: '[email]',
  phone: '[phone]',
  date: '[date]',
  number: '[number]',
  iban: '[iban]',
  ssn: '[ssn]',
  jwt: '[jwt]',
  key: '[key]',
  ip: '[ip]',
  segment: ':id',
} as const;

/**
 * Bundle words shorter than this are not kept in free text: minifiers name things `Li`, `Wu`, `Kim`, which are
 * also names. Stack frames keep them (a frame's function name is code by position).
 */
const MIN_BUNDLE_WORD_LENGTH = 4;

/** CSP `blocked-uri` keywords that are not URLs and carry nothing personal. */
const URI_KEYWORDS = new Set(['inline', 'eval', 'wasm-eval', 'self', 'trusted-types-policy', 'trusted-types-sink', '']);
const BARE_SCHEMES = new Set(['data', 'blob', 'filesystem', 'mediastream']);
const CONTENT_SCHEMES = new Set(['data', 'blob', 'filesystem', 'about', 'mediastream']);

const WORD_SPLIT = /([\p{L}\p{M}\p{N}_$]+)/u;
const ERROR_CLASS = /^[A-Z][A-Za-z0-9]*(?:Error|Exception)$/;
// Placeholders are kept out of later passes as private-use characters; a browser's own are removed first.
const PRIVATE_USE = /[\uE000-\uF8FF]/g;
const PROTECTED = /\uE000([\uE010-\uE019]+)\uE001/g;
// A word right after or before something already replaced (a URL, an e-mail) counts as beside a removed word.
const AFTER_PLACEHOLDER = /\uE001[ \t]*,?[ \t]*$/;
const BEFORE_PLACEHOLDER = /^[ \t]*,?[ \t]*\uE000/;

const MONTHS =
  'Januar|Jänner|Februar|März|Maerz|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember|January|February|March|May|June|July|October|December|Jan|Feb|Mär|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Okt|Oct|Nov|Dez|Dec';
const MAIL_TLD = 'de|com|net|org|at|ch|eu|info|io|us|edu|gov|co\\.uk|uk';

/** Shapes replaced before the allowlist, in order: the first that matches a stretch of text names it. */
const SHAPES: ReadonlyArray<readonly [RegExp, string | ((match: string) => string)]> = [
  // Three base64url parts, the first starting like a JSON header ("eyJ" = '{"').
  [/eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/g, REDACTED.jwt],
  [/\b(?:sb_secret_|sb_publishable_|sk_live_|sk_test_|AKIA|ASIA|AIza|ghp_|xox[bap]-)[A-Za-z0-9_-]{8,}/g, REDACTED.key],
  // Each starts only where a run of its characters starts, and takes the run whole (`(?=(…))\1` is an atomic
  // group): tried at every character, or backtracked into, a 4 KB run costs a second.
  [/(?<![\p{L}\p{N}._%+-])(?=([\p{L}\p{N}._%+-]+))\1@[\p{L}\p{N}.-]+\.\p{L}{2,}/gu, REDACTED.email],
  // Written out so a form's validation lets it through: "max(at)gmx.de", "max [at] gmx [dot] de", "max at gmx.de".
  [
    new RegExp(
      `(?<![\\p{L}\\p{N}._%+-])(?=([\\p{L}\\p{N}._%+-]+))\\1\\s*(?:[([{]\\s*(?:at|ät|@)\\s*[)\\]}]|\\s(?:at|AT)\\s(?=[\\p{L}\\p{N}-]+\\s*(?:\\.|[([{]\\s*dot\\s*[)\\]}])\\s*(?:${MAIL_TLD})\\b))\\s*[\\p{L}\\p{N}-]+(?:\\s*(?:\\.|[([{]\\s*(?:dot|punkt)\\s*[)\\]}])\\s*[\\p{L}\\p{N}-]+)+`,
      'giu',
    ),
    REDACTED.email,
  ],
  [/\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b/g, REDACTED.iban],
  [/\b\d{3}-\d{2}-\d{4}\b/g, REDACTED.ssn],
  // A date in a message is most often a birth date or an appointment: personal either way.
  [/\b(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./]\d{1,2}[./]\d{2,4})\b/g, REDACTED.date],
  [new RegExp(`\\b\\d{1,2}\\.?\\s*(?:${MONTHS})\\b\\.?(?:\\s*\\d{2,4}\\b)?`, 'gu'), REDACTED.date],
  [new RegExp(`\\b(?:${MONTHS})\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?\\b,?(?:\\s*\\d{4}\\b)?`, 'gu'), REDACTED.date],
  // Phone-like: digits with the usual separators and at least 7 digits; an unbroken run is only a [number].
  [
    /(?<![\d./-])(?:\+\d|\(\d|\b\d)[\d ()./-]{5,}\d\b/g,
    (match) => ((match.match(/\d/g)?.length ?? 0) >= 7 && /[ ()./+-]/.test(match) ? REDACTED.phone : match),
  ],
  // A long unbroken token of letters and digits mixed: a session id, a key without a known prefix.
  [/(?<![A-Za-z0-9_-])(?=[A-Za-z0-9_-]*[0-9])(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{32,}\b/g, REDACTED.key],
];

// A URL in text, and a stack location's ":line:column" after it (code positions, kept).
const URL_IN_TEXT =
  /\b(?:https?|wss?|blob|file|webpack|chrome-extension|moz-extension|safari-web-extension):\/\/[^\s'"`()<>[\]{}]+/g;
const LOCATION_SUFFIX = /(:\d+){1,2}$/;
// Only after a path can ":1:2" be a position; "https://host:8080" is a port.
const URL_WITH_PATH = /^[a-z][\w+.-]*:\/\/[^/]+\/./i;
// V8: "    at fn (location)" or "    at location"; Firefox and Safari: "fn@location".
const V8_FRAME = /^(\s*)at (?:(.+?) \((.+)\)|(.+?))\s*$/;
const GECKO_FRAME = /^(\s*)([^@\s]*)@(.+?)\s*$/;
const CODE_LOCATION = /^(?:[a-z][a-z0-9+.-]*:\/\/\S+?(?::\d+){1,2}|<anonymous>|native|\[native code\])$/i;

export interface Redactor {
  /** Free text: an error message, a CSP sample, a report's message or id. */
  text(text: string): string;
  /** A stack: frames keep their function names (bundle words of any length) and code positions. */
  stack(stack: string): string;
  /** A URL as stored: scheme, host and route pattern; no query, no fragment, no user info, no IP. */
  url(value: string): string;
  /** A page's path (the site's own origin is implied). */
  pagePath(value: string): string;
  /** The first `count` characters after redaction, so a cap can never cut a placeholder in half. */
  capped(text: string, count: number): string;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Replaces what matches with a sentinel the later passes cannot see into; `restore` puts the placeholders back. */
class Protected {
  private readonly kept: string[] = [];
  hide(value: string): string {
    const digits = [...String(this.kept.push(value) - 1)].map((d) => String.fromCharCode(0xe010 + Number(d)));
    return `\uE000${digits.join('')}\uE001`;
  }
  restore(text: string): string {
    return text.replace(PROTECTED, (_m, digits: string) => {
      const index = Number([...digits].map((c) => c.charCodeAt(0) - 0xe010).join(''));
      return this.kept[index];
    });
  }
}

interface CompiledRoute {
  readonly segments: readonly string[];
  readonly literals: number;
}

export function createRedactor(vocabulary: Vocabulary): Redactor {
  const routes: CompiledRoute[] = [];
  const knownSegments = new Set<string>();
  for (const route of vocabulary.routes) {
    const segments = route.split('/');
    for (const segment of segments) if (segment && !isParameter(segment)) knownSegments.add(segment);
    if (route.startsWith('/')) routes.push({ segments, literals: segments.filter((s) => s && !isParameter(s)).length });
  }

  const isCode = (word: string, minLength: number): boolean =>
    ENGINE_VOCABULARY.has(word) || ERROR_CLASS.test(word) || (word.length >= minLength && vocabulary.words.has(word));

  /** The allowlist over words; numbers become placeholders; runs of removed words one placeholder. */
  function allowlistWords(text: string): string {
    const parts = text.split(WORD_SPLIT);
    type Verdict = 'keep' | 'bundle' | 'number' | 'drop';
    const verdicts: Verdict[] = parts.map((part, i) => {
      if (i % 2 === 0) return 'keep';
      if (/^\p{N}+$/u.test(part)) return 'number';
      if (ENGINE_VOCABULARY.has(part) || ERROR_CLASS.test(part)) return 'keep';
      return part.length >= MIN_BUNDLE_WORD_LENGTH && vocabulary.words.has(part) ? 'bundle' : 'drop';
    });
    // A capitalized bundle word beside a removed word or another capitalized bundle word is taken as part of a
    // name: "Rose Miller", "Miller, Rose", and "Will Page" when the bundle has both ("Will", "Page").
    const nameGlue = /^[ \t]*,?[ \t]*$|^-$/;
    const nameLike = (i: number) => verdicts[i] === 'bundle' && /^\p{Lu}/u.test(parts[i]);
    const gluedTo = (j: number, between: string) =>
      j > 0 && j < parts.length && nameGlue.test(between) && (verdicts[j] === 'drop' || nameLike(j));
    for (let changed = true; changed;) {
      changed = false;
      for (let i = 1; i < parts.length; i += 2) {
        const besideRemoved =
          gluedTo(i - 2, parts[i - 1]) ||
          gluedTo(i + 2, parts[i + 1] ?? '') ||
          AFTER_PLACEHOLDER.test(parts[i - 1]) ||
          BEFORE_PLACEHOLDER.test(parts[i + 1] ?? '');
        if (nameLike(i) && besideRemoved) {
          verdicts[i] = 'drop';
          changed = true;
        }
      }
    }
    let out = '';
    for (let i = 0; i < parts.length; i++) {
      if (i % 2 === 0) {
        // The separator between two removed words goes with them.
        if (
          i >= 1 &&
          i + 1 < parts.length &&
          verdicts[i - 1] === 'drop' &&
          verdicts[i + 1] === 'drop' &&
          /^[\s,.-]*$/.test(parts[i])
        )
          continue;
        out += parts[i];
      } else if (verdicts[i] === 'drop') {
        if (!(i >= 2 && verdicts[i - 2] === 'drop' && /^[\s,.-]*$/.test(parts[i - 1]))) out += REDACTED.text;
      } else out += verdicts[i] === 'number' ? REDACTED.number : parts[i];
    }
    return out;
  }

  function text(input: string): string {
    const hidden = new Protected();
    let work = input.replace(PRIVATE_USE, '').replace(URL_IN_TEXT, (match) => {
      const trimmed = match.replace(/[.,;:!?]+$/, '');
      const position = URL_WITH_PATH.test(trimmed) ? (LOCATION_SUFFIX.exec(trimmed)?.[0] ?? '') : '';
      const bare = trimmed.slice(0, trimmed.length - position.length);
      return hidden.hide(withPosition(url(bare), position)) + match.slice(trimmed.length);
    });
    // Percent-encoded text is read as the browser would show it ("Anna%20Schmidt" is two words).
    work = work.replace(/(?:%[0-9A-Fa-f]{2})+/g, safeDecode);
    for (const [shape, placeholder] of SHAPES)
      work = work.replace(shape, (match) => {
        const replacement = typeof placeholder === 'string' ? placeholder : placeholder(match);
        return replacement === match ? match : hidden.hide(replacement);
      });
    return hidden.restore(allowlistWords(work));
  }

  /** A frame's function name: code by position, so bundle words of any length stay. */
  function functionName(name: string): string {
    // V8 writes `async f`, `new F`, `Object.f`, `Object.<anonymous>`; anything else is not a function's name.
    if (!/^[\p{L}\p{N}_$.<>[\]]+$/u.test(name.replace(/^(?:async|new) /, ''))) return text(name);
    return name
      .split(WORD_SPLIT)
      .map((part, i) => {
        if (i % 2 === 0) return part;
        if (/^\p{N}+$/u.test(part)) return REDACTED.number;
        return isCode(part, 1) ? part : REDACTED.text;
      })
      .join('');
  }

  function location(value: string): string {
    if (!CODE_LOCATION.test(value)) return text(value);
    const suffix = /^[a-z]/i.test(value) && !value.startsWith('native') ? (LOCATION_SUFFIX.exec(value)?.[0] ?? '') : '';
    return suffix ? withPosition(url(value.slice(0, -suffix.length)), suffix) : value;
  }

  /** `:line:column` is a code position in a script; after any other URL it is just numbers. */
  function withPosition(redactedUrl: string, position: string): string {
    return redactedUrl + (/\.m?js$/.test(redactedUrl) ? position : position.replace(/\d+/g, REDACTED.number));
  }

  function stack(input: string): string {
    return input
      .split('\n')
      .map((line) => {
        const v8 = V8_FRAME.exec(line);
        if (v8) {
          const [, indent, fn, where, bare] = v8;
          return fn ? `${indent}at ${functionName(fn)} (${location(where)})` : `${indent}at ${location(bare)}`;
        }
        const gecko = GECKO_FRAME.exec(line);
        if (gecko && CODE_LOCATION.test(gecko[3])) return `${gecko[1]}${functionName(gecko[2])}@${location(gecko[3])}`;
        return text(line);
      })
      .join('\n');
  }

  /** The app's route this path belongs to (`/booking/:id`), else each segment the app or the build names, else `:id`. */
  function path(raw: string): string {
    const segments = (raw.split(/[?#]/, 1)[0] || '/').split('/').map(safeDecode);
    let best: CompiledRoute | undefined;
    for (const route of routes)
      if (routeMatches(route.segments, segments) && (!best || route.literals > best.literals)) best = route;
    if (best) return best.segments.join('/');
    return segments
      .map((segment, i) => (i === 0 || segment === '' || knownSegments.has(segment) ? segment : REDACTED.segment))
      .join('/');
  }

  function url(value: string): string {
    const trimmed = value.trim();
    if (URI_KEYWORDS.has(trimmed)) return trimmed;
    // report-uri reports name a data:/blob: load by its bare scheme ("data"); the Reporting API writes "data:".
    if (BARE_SCHEMES.has(trimmed)) return `${trimmed}:`;
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(trimmed)?.[1]?.toLowerCase();
    if (scheme && (CONTENT_SCHEMES.has(scheme) || !trimmed.includes('//'))) return `${scheme}:`;
    try {
      const parsed = new URL(trimmed);
      const host = /^\[|^\d+\.\d+\.\d+\.\d+$/.test(parsed.hostname) ? REDACTED.ip : parsed.hostname;
      return `${parsed.protocol}//${host}${parsed.port ? `:${parsed.port}` : ''}${path(parsed.pathname)}`;
    } catch {
      return path(trimmed.startsWith('/') ? trimmed : `/${trimmed}`);
    }
  }

  function pagePath(value: string): string {
    try {
      return path(new URL(value).pathname);
    } catch {
      return path(value.startsWith('/') ? value : `/${value}`);
    }
  }

  return {
    text,
    stack,
    url,
    pagePath,
    capped(input, count) {
      // Redaction never needs more than twice the cap to fill it; a cut word is removed like any other.
      const redacted = text(input.slice(0, count * 2));
      if (redacted.length <= count) return redacted;
      const cut = redacted.slice(0, count);
      return `${cut.lastIndexOf('[') > cut.lastIndexOf(']') ? cut.slice(0, cut.lastIndexOf('[')) : cut}…`;
    },
  };
}

function isParameter(segment: string): boolean {
  return segment.startsWith(':') || segment === '*';
}

function routeMatches(route: readonly string[], segments: readonly string[]): boolean {
  const splat = route[route.length - 1] === '*';
  if (splat ? segments.length < route.length - 1 : segments.length !== route.length) return false;
  return route.every((part, i) => {
    if (part === '*') return true;
    if (part.startsWith(':')) return segments[i] !== '' || part.endsWith('?');
    return part === segments[i];
  });
}
