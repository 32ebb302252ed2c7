/**
 * Scores a response's security headers the way the MDN HTTP Observatory does (its public rules: the score table
 * in mdn/mdn-http-observatory src/grader/charts.js and its tests), so a pull request that weakens a header fails
 * here instead of after a deploy. Pure; reused by delivery's post-deploy check and previews.
 *
 * Scope: the header-based tests (CSP, HSTS, X-Frame-Options, X-Content-Type-Options, Referrer-Policy, CORP),
 * Subresource Integrity on the HTML, and redirection/cookies as given by the caller. Start at 100; bonuses count
 * only when the score without them is at least 90 (MINIMUM_SCORE_FOR_EXTRA_CREDIT).
 */

export interface ObservatoryModifier {
  readonly test: string;
  readonly result: string;
  readonly modifier: number;
}

export interface ObservatoryScore {
  readonly score: number;
  readonly grade: string;
  readonly modifiers: readonly ObservatoryModifier[];
}

export interface ObservatoryContext {
  /** The HTML served at `/`, to evaluate Subresource Integrity. Omitted: no script tags seen. */
  readonly html?: string;
  /** The site's origin (https://host), to tell its own scripts from external ones. */
  readonly origin?: string;
  /** Whether the host is on the browsers' HSTS preload list (the Observatory looks it up; a header cannot claim it). */
  readonly hstsPreloaded?: boolean;
  /** http:// answers with a redirect to https on the same host (CloudFront's redirect-to-https). Default true. */
  readonly redirectsToHttps?: boolean;
}

const BASELINE = 100;
const MINIMUM_SCORE_FOR_EXTRA_CREDIT = 90;
const SIX_MONTHS = 15_552_000;

const GRADES: ReadonlyArray<[number, string]> = [
  [100, 'A+'], [90, 'A'], [85, 'A-'], [80, 'B+'], [70, 'B'], [65, 'B-'], [60, 'C+'], [50, 'C'], [45, 'C-'], [40, 'D+'], [30, 'D'], [25, 'D-'], [0, 'F'],
];

export function gradeFor(score: number): string {
  return GRADES.find(([minimum]) => Math.max(score, 0) >= minimum)![1];
}

type Headers = Readonly<Record<string, string>>;

function header(headers: Headers, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : headers[key];
}

/** Directive name → sources (lower-cased), or undefined when the policy cannot be parsed. */
export function parseContentSecurityPolicy(value: string): Map<string, string[]> | undefined {
  const directives = new Map<string, string[]>();
  for (const part of value.split(';').map((p) => p.trim()).filter(Boolean)) {
    const [name, ...sources] = part.split(/\s+/).map((token) => token.toLowerCase());
    if (!/^[a-z-]+$/.test(name) || directives.has(name)) return undefined;
    directives.set(name, sources);
  }
  return directives.size > 0 ? directives : undefined;
}

const BROAD_SOURCES = ['*', 'http:', 'https:', 'data:', 'blob:'];

function scoreContentSecurityPolicy(headers: Headers): ObservatoryModifier {
  const test = 'content-security-policy';
  const value = header(headers, 'Content-Security-Policy');
  // A Report-Only policy protects nobody: the Observatory scores it as not implemented.
  if (value === undefined) return { test, result: 'csp-not-implemented', modifier: -25 };
  const policy = parseContentSecurityPolicy(value);
  if (!policy) return { test, result: 'csp-header-invalid', modifier: -25 };
  const effective = (name: string) => policy.get(name) ?? policy.get('default-src');
  const scripts = effective('script-src');
  const objects = effective('object-src');
  const all = [...policy.values()].flat();
  if (!scripts || !objects || scripts.some((s) => s === "'unsafe-inline'" || BROAD_SOURCES.includes(s)) || objects.some((s) => BROAD_SOURCES.includes(s))) {
    return { test, result: 'csp-implemented-with-unsafe-inline', modifier: -20 };
  }
  if (all.some((s) => s === 'http:' || s.startsWith('http://') || s === 'ws:' || s.startsWith('ws://'))) {
    return { test, result: 'csp-implemented-with-insecure-scheme', modifier: -20 };
  }
  if (all.includes("'unsafe-eval'")) return { test, result: 'csp-implemented-with-unsafe-eval', modifier: -10 };
  const styles = effective('style-src') ?? [];
  if (styles.some((s) => s === "'unsafe-inline'" || BROAD_SOURCES.includes(s))) {
    return { test, result: 'csp-implemented-with-unsafe-inline-in-style-src-only', modifier: 0 };
  }
  const defaultNone = (policy.get('default-src') ?? []).join(' ') === "'none'";
  if (defaultNone && policy.has('form-action')) return { test, result: 'csp-implemented-with-no-unsafe-default-src-none', modifier: 10 };
  return { test, result: 'csp-implemented-with-no-unsafe', modifier: 5 };
}

function scoreStrictTransportSecurity(headers: Headers, preloaded: boolean): ObservatoryModifier {
  const test = 'strict-transport-security';
  if (preloaded) return { test, result: 'hsts-preloaded', modifier: 5 };
  const value = header(headers, 'Strict-Transport-Security');
  if (value === undefined) return { test, result: 'hsts-not-implemented', modifier: -20 };
  const maxAge = /(?:^|;)\s*max-age=(\d+)/i.exec(value);
  if (!maxAge || value.includes(',')) return { test, result: 'hsts-header-invalid', modifier: -20 };
  return Number(maxAge[1]) >= SIX_MONTHS
    ? { test, result: 'hsts-implemented-max-age-at-least-six-months', modifier: 0 }
    : { test, result: 'hsts-implemented-max-age-less-than-six-months', modifier: -10 };
}

function scoreFrameOptions(headers: Headers): ObservatoryModifier {
  const test = 'x-frame-options';
  const csp = header(headers, 'Content-Security-Policy');
  if (csp && parseContentSecurityPolicy(csp)?.has('frame-ancestors')) return { test, result: 'x-frame-options-implemented-via-csp', modifier: 5 };
  const value = header(headers, 'X-Frame-Options')?.trim().toUpperCase();
  if (value === undefined) return { test, result: 'x-frame-options-not-implemented', modifier: -20 };
  if (value === 'DENY' || value === 'SAMEORIGIN') return { test, result: 'x-frame-options-sameorigin-or-deny', modifier: 0 };
  return { test, result: 'x-frame-options-header-invalid', modifier: -20 };
}

function scoreContentTypeOptions(headers: Headers): ObservatoryModifier {
  const test = 'x-content-type-options';
  const value = header(headers, 'X-Content-Type-Options');
  if (value === undefined) return { test, result: 'x-content-type-options-not-implemented', modifier: -5 };
  return value.trim().toLowerCase() === 'nosniff'
    ? { test, result: 'x-content-type-options-nosniff', modifier: 0 }
    : { test, result: 'x-content-type-options-header-invalid', modifier: -5 };
}

const PRIVATE_REFERRER = ['no-referrer', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin'];
const UNSAFE_REFERRER = ['origin', 'origin-when-cross-origin', 'unsafe-url', 'no-referrer-when-downgrade'];

function scoreReferrerPolicy(headers: Headers): ObservatoryModifier {
  const test = 'referrer-policy';
  const value = header(headers, 'Referrer-Policy');
  if (value === undefined) return { test, result: 'referrer-policy-not-implemented', modifier: 0 };
  // Browsers apply the last policy they understand.
  const last = value.split(',').map((p) => p.trim().toLowerCase()).filter(Boolean).pop() ?? '';
  if (PRIVATE_REFERRER.includes(last)) return { test, result: 'referrer-policy-private', modifier: 5 };
  if (UNSAFE_REFERRER.includes(last)) return { test, result: 'referrer-policy-unsafe', modifier: -5 };
  return { test, result: 'referrer-policy-header-invalid', modifier: -5 };
}

function scoreResourcePolicy(headers: Headers): ObservatoryModifier {
  const test = 'cross-origin-resource-policy';
  const value = header(headers, 'Cross-Origin-Resource-Policy')?.trim().toLowerCase();
  if (value === undefined) return { test, result: 'corp-not-implemented', modifier: 0 };
  if (value === 'same-origin') return { test, result: 'corp-implemented-with-same-origin', modifier: 10 };
  if (value === 'same-site') return { test, result: 'corp-implemented-with-same-site', modifier: 10 };
  if (value === 'cross-origin') return { test, result: 'corp-implemented-with-cross-origin', modifier: 0 };
  return { test, result: 'corp-header-invalid', modifier: -5 };
}

function scoreSubresourceIntegrity(html: string | undefined, origin: string | undefined): ObservatoryModifier {
  const test = 'subresource-integrity';
  const scripts = [...(html ?? '').matchAll(/<script\b[^>]*\bsrc\s*=\s*["']([^"']+)["'][^>]*>/gi)].map((m) => ({ src: m[1], tag: m[0] }));
  if (scripts.length === 0) return { test, result: 'sri-not-implemented-but-no-scripts-loaded', modifier: 0 };
  const sameOrigin = (src: string) => (!/^[a-z]+:|^\/\//i.test(src)) || (origin !== undefined && src.startsWith(`${origin}/`));
  const withIntegrity = (tag: string) => /\bintegrity\s*=\s*["'](sha256|sha384|sha512)-/i.test(tag);
  const external = scripts.filter((s) => !sameOrigin(s.src));
  const insecure = external.some((s) => !s.src.toLowerCase().startsWith('https://'));
  const allIntegrity = scripts.every((s) => withIntegrity(s.tag));
  if (insecure) {
    return allIntegrity
      ? { test, result: 'sri-implemented-but-external-scripts-not-loaded-securely', modifier: -20 }
      : { test, result: 'sri-not-implemented-and-external-scripts-not-loaded-securely', modifier: -50 };
  }
  if (allIntegrity) {
    return external.length === 0
      ? { test, result: 'sri-implemented-and-all-scripts-loaded-securely', modifier: 5 }
      : { test, result: 'sri-implemented-and-external-scripts-loaded-securely', modifier: 5 };
  }
  return external.length === 0
    ? { test, result: 'sri-not-implemented-but-all-scripts-loaded-from-secure-origin', modifier: 0 }
    : { test, result: 'sri-not-implemented-but-external-scripts-loaded-securely', modifier: -5 };
}

/** The Observatory's score and grade for a response carrying `headers` (plus what `context` says about the site). */
export function scoreObservatory(headers: Headers, context: ObservatoryContext = {}): ObservatoryScore {
  const modifiers: ObservatoryModifier[] = [
    scoreContentSecurityPolicy(headers),
    { test: 'cookies', result: 'cookies-not-found', modifier: 0 },
    { test: 'cross-origin-resource-sharing', result: 'cross-origin-resource-sharing-not-implemented', modifier: 0 },
    context.redirectsToHttps === false
      ? { test: 'redirection', result: 'redirection-missing', modifier: -20 }
      : { test: 'redirection', result: 'redirection-to-https', modifier: 0 },
    scoreReferrerPolicy(headers),
    scoreStrictTransportSecurity(headers, context.hstsPreloaded ?? false),
    scoreSubresourceIntegrity(context.html, context.origin),
    scoreContentTypeOptions(headers),
    scoreFrameOptions(headers),
    scoreResourcePolicy(headers),
  ];
  const penalties = BASELINE + modifiers.filter((m) => m.modifier < 0).reduce((sum, m) => sum + m.modifier, 0);
  const bonuses = modifiers.filter((m) => m.modifier > 0).reduce((sum, m) => sum + m.modifier, 0);
  const score = Math.max(0, penalties >= MINIMUM_SCORE_FOR_EXTRA_CREDIT ? penalties + bonuses : penalties);
  return { score, grade: gradeFor(score), modifiers };
}
