/**
 * What check-app reports, and the fix for each CSP violation (pure, unit-tested): the config change that would
 * allow it, or why it must not be allowed (the guard rails of lib/config/csp.ts decide, so the advice can never
 * suggest something validation would refuse).
 */
import { EXTENSIBLE_DIRECTIVES, ExtensibleDirective, refusalOf } from '../../lib/config/csp';
import { TELEMETRY_PREFIX } from '../../lib/telemetry/paths';

/** A CSP violation as the page saw it (securitypolicyviolation event). */
export interface CspViolation {
  /** The directive that blocked it, as the browser names it (`style-src-elem`, `img-src`, …). */
  readonly directive: string;
  /** The blocked URL, or `inline` / `eval`. */
  readonly blockedUri: string;
  /** The first characters of the blocked inline code, when the browser gives them. */
  readonly sample?: string;
  /** For a blocked inline `<style>`: the hash of its text that would allow it. */
  readonly hash?: string;
  readonly disposition: 'enforce' | 'report';
}

export type Finding =
  | { readonly kind: 'csp'; readonly path: string; readonly violation: CspViolation }
  | {
      readonly kind: 'request';
      readonly path: string;
      readonly url: string;
      readonly failure: string;
      /** The body of a refusal that says why (the collector's, the health API's). */
      readonly answer?: string;
    }
  | { readonly kind: 'console'; readonly path: string; readonly text: string };

/** Browsers report the element form of a directive; config extends script-src for scripts. */
function configDirective(directive: string): ExtensibleDirective | undefined {
  const name = directive === 'script-src-elem' ? 'script-src' : directive;
  return name in EXTENSIBLE_DIRECTIVES ? (name as ExtensibleDirective) : undefined;
}

/** The source that would allow a blocked URI in config's terms: its origin, or its scheme for data:/blob:. */
function sourceFor(blockedUri: string): string | undefined {
  if (/^(data|blob):/i.test(blockedUri) || blockedUri === 'data' || blockedUri === 'blob')
    return `${blockedUri.replace(/:.*$/, '')}:`;
  try {
    return new URL(blockedUri).origin;
  } catch {
    return undefined;
  }
}

export function fixFor(violation: CspViolation): string {
  const directive = configDirective(violation.directive);
  const { blockedUri } = violation;
  if (blockedUri === 'eval' || blockedUri === 'wasm-eval')
    return `Not allowed: ${refusalOf('script-src', "'unsafe-eval'")}.`;
  if (blockedUri === 'inline') {
    if (violation.directive.startsWith('script-src'))
      return `Not allowed: ${refusalOf('script-src', "'unsafe-inline'")}.`;
    if (violation.directive === 'style-src-elem' && violation.hash) {
      return `If this CSS is the same on every load (a library's static styles), add "${violation.hash}" to csp['style-src-elem']. If its text changes at run time, no hash can match; the documented last resort is "'unsafe-inline'" in csp['style-src-elem'] (docs/readme/app-build.md).`;
    }
    if (violation.directive === 'style-src-attr')
      return `Move the style attribute into a class, or (last resort) add "'unsafe-inline'" to csp['style-src-attr'] (docs/readme/app-build.md). CSSOM writes (element.style.x = …) are never blocked.`;
    return 'Move the inline code into a file the build emits under /assets/.';
  }
  const source = sourceFor(blockedUri);
  if (!directive)
    return `${violation.directive} is fixed by the platform, not extended by config (lib/config/csp.ts says why). Fix: change the app so it does not need it.`;
  if (!source) return `Fix: allow its origin in csp['${directive}'] if the app really needs it.`;
  const refusal = refusalOf(directive, source);
  if (refusal) return `Not allowed: ${refusal}.`;
  return `Add "${source}" to csp['${directive}'] in lib/config/environments/<env>.ts if the app really needs it (docs/readme/app-build.md prices each addition).`;
}

/** Which part of the site answers a same-origin path, and what to do when it fails. */
function whoAnswered(url: string): string {
  if (url.startsWith(`${TELEMETRY_PREFIX}/`))
    return `The telemetry collector refused what the app sent. Fix: send what docs/readme/client-telemetry.md says this endpoint takes (method, Content-Type, body), or use client/miko-telemetry.js.`;
  if (/^\/health(?:\/|$)/.test(url))
    return "The health API answered it. Fix: the app should not call /health (it is the prober's), or see docs/runbooks for the failing dependency.";
  if (url.startsWith('/assets/'))
    return 'This file of the build is not in the release. Fix: deploy every file of the build (a lazy chunk missing from the upload is a blank page for patients).';
  if (url === '/config.json' || url === '/version.json')
    return 'The deploy writes this file per environment. Fix: synthesize again (npm run synth), not in the build.';
  return 'No file of the build has this path (a path with a file extension is a file, not an app route). Fix: add the file to the build, or stop requesting it.';
}

export function describeFinding(finding: Finding): string {
  switch (finding.kind) {
    case 'csp': {
      const v = finding.violation;
      const what =
        v.blockedUri === 'inline' ? `inline code${v.sample ? ` "${v.sample.slice(0, 60)}…"` : ''}` : v.blockedUri;
      return `CSP ${v.directive} ${v.disposition === 'report' ? 'would block' : 'blocked'} ${what}. ${fixFor(v)}`;
    }
    case 'request':
      return `same-origin request ${finding.url} failed: ${finding.failure}${finding.answer ? ` ${finding.answer}` : ''}. ${whoAnswered(finding.url)}`;
    case 'console':
      return `console error: ${finding.text}`;
  }
}
