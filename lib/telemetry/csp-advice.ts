/**
 * What to do about each CSP violation the collector saw (pure, unit-tested): the `csp` config change that would
 * allow it, or why it must not be allowed. The verdict is the config validation's own (lib/config/csp.ts
 * `refusalOf`), so this command can never suggest a source that synth would then refuse, and its reasons are the
 * same words a refused config gets.
 */
import { EXTENSIBLE_DIRECTIVES, ExtensibleDirective, refusalOf } from '../config/csp';

export interface ViolationSummary {
  readonly directive: string;
  readonly disposition: 'enforce' | 'report';
  readonly blockedUri: string;
  readonly documentPath: string;
  readonly reports: number;
  readonly sample?: string;
  readonly sourceFile?: string;
}

export interface Advice {
  readonly verdict: 'allow' | 'refuse' | 'ignore';
  readonly change: string;
}

/** The config directive a reported one is opened in (browsers report the most specific directive they checked). */
const CONFIG_DIRECTIVE: Record<string, ExtensibleDirective> = {
  'script-src': 'script-src',
  'script-src-elem': 'script-src',
  'script-src-attr': 'script-src',
  'style-src': 'style-src-elem',
  'style-src-elem': 'style-src-elem',
  'style-src-attr': 'style-src-attr',
  'img-src': 'img-src',
  'font-src': 'font-src',
  'connect-src': 'connect-src',
  'frame-src': 'frame-src',
  'child-src': 'frame-src',
  'worker-src': 'worker-src',
};

const EXTENSION_SCHEMES = /^(?:chrome|moz|safari(?:-web)?|ms-browser)-extension:/;

/** The CSP source that would allow what was blocked. */
function sourceFor(blockedUri: string): string {
  if (blockedUri === 'inline') return "'unsafe-inline'";
  if (blockedUri === 'eval' || blockedUri === 'wasm-eval') return "'unsafe-eval'";
  if (blockedUri === 'data:' || blockedUri === 'blob:') return blockedUri;
  try {
    const url = new URL(blockedUri);
    return url.protocol === 'http:' || url.protocol === 'ws:' ? `${url.protocol}//${url.host}` : url.origin;
  } catch {
    return blockedUri;
  }
}

export function adviceFor(v: ViolationSummary): Advice {
  if (EXTENSION_SCHEMES.test(v.blockedUri))
    return {
      verdict: 'ignore',
      change: "a browser extension injected this; it is the patient's extension, not the app. Nothing to allow.",
    };
  const directive = CONFIG_DIRECTIVE[v.directive];
  if (!directive) {
    return {
      verdict: 'refuse',
      change: `${v.directive} is not opened by config (lib/config/csp.ts keeps it fixed); find what in the app needs it (${v.sourceFile ?? 'source unknown'}) instead of widening the policy.`,
    };
  }
  const source = sourceFor(v.blockedUri);
  // Static CSS a library injects: a hash, which the report's 40-character sample cannot give; check-app computes it.
  if (v.blockedUri === 'inline' && directive === 'style-src-elem') {
    return {
      verdict: 'allow',
      change: `an injected <style> (sample ${JSON.stringify(v.sample ?? '')}): run npm run check-app on the build for the 'sha256-…' to add to csp["style-src-elem"]; only CSS whose text changes at run time justifies "'unsafe-inline'" there (the last resort, priced in docs/readme/app-build.md).`,
    };
  }
  const refusal = refusalOf(directive, source);
  if (refusal) return { verdict: 'refuse', change: `${source} in ${directive}: ${refusal}.` };
  const allowedHere = (EXTENSIBLE_DIRECTIVES[directive] as readonly string[]).join(', ');
  return {
    verdict: 'allow',
    change: `add "${source}" to csp["${directive}"] in lib/config/environments/<env>.ts, if the app should load it (${directive} accepts: ${allowedHere}).`,
  };
}
