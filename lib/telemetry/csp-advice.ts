/**
 * What to do about each CSP violation the collector saw (pure, unit-tested): the config change that would allow
 * it, or why it must not be allowed. The guard rails are the platform's: never `'unsafe-eval'`; never
 * `'unsafe-inline'`, `data:`, `blob:` or a bare scheme for scripts and connections; never `http:`. What the current
 * config cannot express (hashes, `data:` images, workers, frames) says so, naming the typed per-directive CSP of
 * issue 10 that adds it, instead of suggesting a wildcard.
 */
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

const CONTENT_SOURCE_OF: Record<string, 'images' | 'fonts' | 'styles'> = {
  'img-src': 'images', 'font-src': 'fonts', 'style-src': 'styles', 'style-src-elem': 'styles',
};
const SCRIPT_DIRECTIVES = new Set(['script-src', 'script-src-elem', 'script-src-attr', 'default-src']);
const EXTENSION_SCHEMES = /^(?:chrome|moz|safari(?:-web)?|ms-browser)-extension:/;
const typedCsp = (what: string) => `not expressible in this config yet: ${what} needs the typed per-directive CSP (issue 10, "A CSP the app can live with"); declare it there once it lands.`;

export function adviceFor(v: ViolationSummary): Advice {
  const blocked = v.blockedUri;
  if (EXTENSION_SCHEMES.test(blocked)) return { verdict: 'ignore', change: 'a browser extension injected this; the patient\'s extension, not the app. Nothing to allow.' };
  if (blocked.startsWith('http:') || blocked.startsWith('ws:')) return { verdict: 'refuse', change: `never allow http: (patient data would travel in clear text). Fix the app to load ${blocked.replace(/^http/, 'https').replace(/^ws:/, 'wss:')} instead.` };
  if (blocked === 'eval' || blocked === 'wasm-eval') return { verdict: 'refuse', change: 'never allow \'unsafe-eval\': it turns any injected string into code. Find the library that evals (a template compiler, a JSON polyfill) and replace it or use its CSP build.' };
  if (blocked === 'inline') {
    if (SCRIPT_DIRECTIVES.has(v.directive)) return { verdict: 'refuse', change: 'never allow inline script: it is exactly what an XSS injects. Move the code into a bundled file under /assets/ (and event handlers into addEventListener).' };
    if (v.directive === 'style-src-attr') return { verdict: 'refuse', change: 'style="" attributes: use classes (or CSSOM, el.style.x = …, which CSP allows); \'unsafe-inline\' for attributes is not offered.' };
    return { verdict: 'allow', change: typedCsp(`a static <style> a library injects is allowed by its sha256 hash in style-src-elem (sample: ${JSON.stringify(v.sample ?? '')}); CSS whose text changes needs 'unsafe-inline' in style-src-elem only, as a last resort`) };
  }
  if (blocked === 'data:' || blocked === 'blob:') {
    if (SCRIPT_DIRECTIVES.has(v.directive) || v.directive === 'connect-src') return { verdict: 'refuse', change: `never allow ${blocked} for scripts or connections: it runs or sends whatever an attacker writes into the page.` };
    if (v.directive === 'img-src' || v.directive === 'font-src') return { verdict: 'allow', change: typedCsp(`${blocked} for ${v.directive === 'img-src' ? 'images (Vite inlines small assets as data: URIs)' : 'fonts'}`) };
    if (v.directive === 'worker-src' || (blocked === 'blob:' && v.directive === 'child-src')) return { verdict: 'allow', change: typedCsp("worker-src 'self' blob: (Sentry Replay's compression worker)") };
    return { verdict: 'refuse', change: `${blocked} in ${v.directive} is not a need the platform knows; find what creates it before allowing anything.` };
  }
  let origin: string;
  try {
    origin = new URL(blocked).origin;
  } catch {
    return { verdict: 'refuse', change: `"${blocked}" is not an origin; allowing a bare scheme or keyword widens the policy for everything. Investigate the source (${v.sourceFile ?? 'unknown file'}).` };
  }
  const contentSource = CONTENT_SOURCE_OF[v.directive];
  if (contentSource) return { verdict: 'allow', change: `add "${origin}" to site.contentSources.${contentSource} in lib/config/environments/<env>.ts (if the app should load it).` };
  if (v.directive === 'connect-src') return { verdict: 'allow', change: `connect-src lists the configured backends only: add ${origin} as a backend in config.backends (or remove the call), not as a free origin.` };
  if (SCRIPT_DIRECTIVES.has(v.directive)) return { verdict: 'allow', change: typedCsp(`a script origin (https only, e.g. Google Identity Services' https://accounts.google.com); ${origin}`) };
  if (v.directive === 'frame-src' || v.directive === 'child-src') return { verdict: 'allow', change: typedCsp(`a frame origin ${origin}`) };
  if (v.directive === 'frame-ancestors') return { verdict: 'refuse', change: 'frame-ancestors \'none\' keeps the portal out of other sites\' frames (clickjacking); never widen it.' };
  if (v.directive === 'form-action' || v.directive === 'base-uri') return { verdict: 'refuse', change: `${v.directive} stays on the site's own origin: a form posting patient data elsewhere is what it prevents.` };
  return { verdict: 'refuse', change: `${v.directive} ${origin}: not a need the platform knows; investigate before allowing.` };
}
