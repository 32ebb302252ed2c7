/**
 * `csp`: what one environment adds to the site's Content-Security-Policy (base: lib/site/content-security-policy.ts,
 * `default-src 'none'`), typed per directive. A source that would make a directive protect nothing is refused with
 * the reason, so a weakening never slips in as a config one-liner. docs/readme/app-build.md prices each addition.
 */
import { z } from 'zod';

/** The directives a build may extend, and the kinds of source each one accepts. */
export const EXTENSIBLE_DIRECTIVES = {
  /** Third-party scripts by origin (Google Identity Services: https://accounts.google.com). */
  'script-src': ['origin'],
  /** `<style>` and `<link rel=stylesheet>`: stylesheet origins, hashes of static injected CSS, or (last resort) 'unsafe-inline'. */
  'style-src-elem': ['origin', 'hash', 'unsafe-inline'],
  /** `style="…"` attributes in markup (CSSOM writes such as `el.style.top = …` are never blocked). */
  'style-src-attr': ['unsafe-inline'],
  'img-src': ['origin', 'data', 'blob'],
  'font-src': ['origin', 'data'],
  /** Origins to fetch or open a WebSocket to beyond the configured backends (which are added already). */
  'connect-src': ['origin'],
  /** Origins the app may show in an iframe (Google sign-in's button and One Tap). */
  'frame-src': ['origin'],
  /** Web workers: the site's own files always; `blob:` for workers built at run time (Sentry Replay's compressor). */
  'worker-src': ['blob'],
} as const satisfies Record<string, readonly SourceKind[]>;

export type SourceKind = 'origin' | 'hash' | 'unsafe-inline' | 'data' | 'blob';
export type ExtensibleDirective = keyof typeof EXTENSIBLE_DIRECTIVES;
export type CspAdditions = Partial<Record<ExtensibleDirective, readonly string[]>>;

/** Directives that are never extended by config, and why. */
const FIXED_DIRECTIVES: Record<string, string> = {
  'default-src':
    'it is the fallback of every directive not named, so anything added here is allowed everywhere at once',
  'script-src-elem': 'scripts are opened in script-src only, so one list says which code may run',
  'script-src-attr': 'inline event handlers (onclick=…) are exactly what an injected HTML fragment uses to run code',
  'style-src': 'additions go to style-src-elem or style-src-attr, so each one opens only the kind of style it names',
  'object-src': "plugins (<object>, <embed>) can run code outside the page's policy",
  'base-uri': 'a <base> tag would let an injected fragment re-point every relative script URL',
  'form-action': 'forms may only post to the site itself, so an injected form cannot send patient data elsewhere',
  'frame-ancestors': 'the site is never framed (clickjacking protection)',
  'report-uri': "the report endpoint is the platform's collector, set by the deploy",
  'report-to': "the report endpoint is the platform's collector, set by the deploy",
};

const SHA_HASH = /^'sha(256|384|512)-[A-Za-z0-9+/]+={0,2}'$/;

/** Why a source is refused in `directive`, or undefined when it is allowed there. */
export function refusalOf(directive: ExtensibleDirective, source: string): string | undefined {
  const allowed: readonly SourceKind[] = EXTENSIBLE_DIRECTIVES[directive];
  const lower = source.toLowerCase();
  const code = directive === 'script-src' || directive === 'connect-src' || directive === 'worker-src';
  if (lower === "'unsafe-eval'" || lower === "'wasm-unsafe-eval'") {
    return `'unsafe-eval' lets any string become running code (eval, new Function), so one injected string runs with the patient's session. It is never allowed. Fix: remove it; a library that needs eval must be replaced or configured not to`;
  }
  if (lower === '*' || /^(?:[a-z]+:\/\/)?\*/.test(lower)) {
    return `"${source}" allows every host on the internet, so the directive protects nothing (an attacker's server is a host too). Fix: name each https origin the app needs`;
  }
  if (lower.startsWith('http:') || lower.startsWith('ws:')) {
    return `"${source}" is clear text: anyone on the patient's network can read or replace what it carries. Fix: use the https:// (or wss://) origin`;
  }
  if (/^[a-z][a-z0-9+.-]*:$/.test(lower) && lower !== 'data:' && lower !== 'blob:') {
    return `"${source}" is a bare scheme: it allows every host reachable over it, which is the same as "*". Fix: name each origin, e.g. "https://fonts.gstatic.com"`;
  }
  if (lower === 'data:' || lower === 'blob:') {
    const kind = lower === 'data:' ? 'data' : 'blob';
    if (allowed.includes(kind)) return undefined;
    return code
      ? `${source} in ${directive} lets text the page itself assembles (an injected string included) run as code or be sent out as a request; there is no origin to trust. Fix: remove it${directive === 'worker-src' ? '; only blob: is allowed here' : ''}`
      : `${source} is not allowed in ${directive}. Fix: allowed here: ${allowed.join(', ')}`;
  }
  if (lower === "'unsafe-inline'") {
    if (allowed.includes('unsafe-inline')) return undefined;
    return code
      ? `'unsafe-inline' in ${directive} lets any injected <script> or onclick= run, which turns every HTML injection into cross-site scripting. Fix: remove it; move inline code into a file under /assets/`
      : `'unsafe-inline' is allowed only in style-src-elem and style-src-attr (as a documented last resort). Fix: remove it from ${directive}`;
  }
  if (/^'nonce-/.test(lower)) {
    return `a nonce must be a new random value per response; this static site sends the same bytes to every browser, so a nonce here would be a public constant that any injected script can copy. Fix: use a 'sha256-…' hash for static CSS`;
  }
  if (lower === "'strict-dynamic'" || lower === "'unsafe-hashes'") {
    return `${source} trusts code by how it was loaded rather than by where it comes from, and needs per-response nonces to mean anything. Fix: remove it`;
  }
  if (SHA_HASH.test(source)) {
    return allowed.includes('hash')
      ? undefined
      : `hashes are allowed only in style-src-elem (for static CSS a library injects). Fix: remove it from ${directive}`;
  }
  if (lower === "'self'") {
    return `'self' is already in ${directive} wherever the site needs it. Fix: remove it`;
  }
  if (!allowed.includes('origin'))
    return `"${source}" is not allowed in ${directive}. Fix: allowed here: ${allowed.join(', ')}`;
  return originProblem(directive, source);
}

function originProblem(directive: ExtensibleDirective, source: string): string | undefined {
  let url: URL;
  try {
    url = new URL(source);
  } catch {
    const takesHashes = (EXTENSIBLE_DIRECTIVES[directive] as readonly SourceKind[]).includes('hash');
    return `"${source}" is neither an origin nor a keyword ${directive} accepts. Fix: write an https origin like "https://fonts.example.com"${takesHashes ? ", or a 'sha256-…' hash in single quotes" : ''}`;
  }
  const schemes = directive === 'connect-src' ? ['https:', 'wss:'] : ['https:'];
  if (!schemes.includes(url.protocol))
    return `"${source}" uses ${url.protocol} Fix: use ${schemes.join(' or ')} origins only`;
  if (url.origin !== source) {
    return `"${source}" is not a bare origin: a path in a CSP source does not narrow what a script may reach once allowed, and reads as if it did. Fix: write "${url.origin}"`;
  }
  return undefined;
}

const shown = (value: unknown): string => JSON.stringify(value) ?? String(value);

/** The `csp` config object: directive → sources added to it. Unknown or fixed directives are refused with the reason. */
export const cspAdditionsSchema = z
  .record(
    z.string(),
    z.array(z.string(), { error: 'must be a list of sources. Fix: write e.g. ["https://fonts.gstatic.com"].' }),
  )
  .superRefine((additions, ctx) => {
    for (const [directive, sources] of Object.entries(additions)) {
      if (!(directive in EXTENSIBLE_DIRECTIVES)) {
        const why = FIXED_DIRECTIVES[directive];
        ctx.addIssue({
          code: 'custom',
          path: [directive],
          message: why
            ? `cannot be extended: ${why}. Fix: remove it (extensible: ${Object.keys(EXTENSIBLE_DIRECTIVES).join(', ')}).`
            : `is not a directive this config can extend. Fix: use one of ${Object.keys(EXTENSIBLE_DIRECTIVES).join(', ')}.`,
        });
        continue;
      }
      const name = directive as ExtensibleDirective;
      sources.forEach((source, index) => {
        const refusal = refusalOf(name, source);
        if (refusal)
          ctx.addIssue({
            code: 'custom',
            path: [directive, index],
            message: `${shown(source)} is refused: ${refusal}.`,
          });
      });
      const hasHash = sources.some((s) => SHA_HASH.test(s));
      if (hasHash && sources.some((s) => s.toLowerCase() === "'unsafe-inline'")) {
        ctx.addIssue({
          code: 'custom',
          path: [directive],
          message: `combines 'unsafe-inline' with hashes: browsers ignore 'unsafe-inline' in a directive that holds a hash, so the two cannot both take effect. Fix: keep the hashes (static CSS) or, as a last resort for CSS whose text changes at run time, only 'unsafe-inline'.`,
        });
      }
      if (new Set(sources).size !== sources.length) {
        ctx.addIssue({
          code: 'custom',
          path: [directive],
          message: 'lists a source twice. Fix: list each source once.',
        });
      }
    }
  })
  .transform((additions) => additions as CspAdditions);
