/**
 * The contract's rules for `index.html`: it exists and parses; its own scripts and stylesheets are hashed files
 * under /assets/ that exist in the build; third-party ones are https from origins the CSP declares; nothing inline
 * that the enforced policy would block (scripts, event handlers, javascript: URLs, undeclared styles).
 */
import { createHash } from 'node:crypto';
import type { ExtensibleDirective } from '../config/csp';
import { HtmlTag, parseHtml } from './html';
import { ENVIRONMENTS } from './environments';
import type { AppContractProblem, BuildFiles, ContractConfig } from './index';

const INDEX = 'index.html';
/** Vite's output naming: `/assets/<name>-<hash>.<ext>` (the hash is 8 characters, base64url-ish). */
const HASHED_ASSET = /^\/assets\/[A-Za-z0-9._-]+-[A-Za-z0-9_-]{6,}\.(?:m?js|css)$/;
/** `<script type>` values a browser never runs (data blocks), so CSP does not apply to them. */
const DATA_BLOCK_TYPES = new Set(['application/json', 'application/ld+json']);
const URL_ATTRIBUTES = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data'];

/** The `'sha256-…'` CSP source of an inline element's text, as a browser computes it. */
export function cspHashOf(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

export function checkIndexHtml(files: BuildFiles, config: ContractConfig): AppContractProblem[] {
  const content = files.get(INDEX);
  if (!content) {
    return [
      {
        file: INDEX,
        message:
          'is missing: CloudFront serves it for / and every deep link, so the site would answer 404 everywhere. Fix: point synth at the folder vite build writes (dist/: index.html and assets/), not at a parent or a sub-folder.',
      },
    ];
  }
  const parsed = parseHtml(content.toString('utf8'));
  if (!parsed.ok)
    return [
      {
        file: INDEX,
        line: parsed.line,
        message: `does not parse: ${parsed.error}. Fix: ship the HTML vite build writes, unedited.`,
      },
    ];
  const problems: AppContractProblem[] = [];
  const problem = (tag: HtmlTag, message: string) => problems.push({ file: INDEX, line: tag.line, message });
  const declared = (directive: ExtensibleDirective) => config.csp[directive] ?? [];
  for (const tag of parsed.tags) {
    for (const [name, value] of tag.attributes) {
      if (/^on[a-z]+$/.test(name)) {
        problem(
          tag,
          `<${tag.name} ${name}=…> is an inline event handler; the CSP blocks it (script-src has no 'unsafe-inline', and never will: it is how injected HTML runs code). Fix: attach the handler in the app's code (addEventListener / React's onClick).`,
        );
      }
      if (URL_ATTRIBUTES.includes(name) && /^\s*javascript:/i.test(value)) {
        problem(
          tag,
          `<${tag.name} ${name}="javascript:…"> runs code from a URL; the CSP blocks it. Fix: use a button with a click handler in the app's code.`,
        );
      }
    }
    if (tag.attributes.has('style') && !declared('style-src-attr').includes("'unsafe-inline'")) {
      problem(
        tag,
        `<${tag.name} style="…"> is an inline style attribute; the CSP blocks it (csp['style-src-attr'] does not declare 'unsafe-inline' in ${ENVIRONMENTS}). Fix: move it into the app's CSS (a class).`,
      );
    }
    if (tag.name === 'base') {
      problem(
        tag,
        `<base> is blocked by the CSP (base-uri 'none': an injected <base> would re-point every relative URL), so relative URLs would resolve differently than the build expects. Fix: remove it and keep Vite's base: '/' (absolute /assets/… URLs).`,
      );
    }
    if (tag.name === 'script') checkScript(tag, files, config, problem);
    if (tag.name === 'link') checkLink(tag, files, config, problem);
    if (tag.name === 'style') checkStyle(tag, config, problem);
  }
  return problems;
}

type Report = (tag: HtmlTag, message: string) => void;

function checkScript(tag: HtmlTag, files: BuildFiles, config: ContractConfig, problem: Report): void {
  const src = tag.attributes.get('src');
  if (src === undefined) {
    if (DATA_BLOCK_TYPES.has((tag.attributes.get('type') ?? '').toLowerCase())) return;
    if ((tag.text ?? '').trim() === '') return;
    problem(
      tag,
      `an inline <script> (${cspHashOf(tag.text ?? '')}); the CSP allows only script files, and no hash is accepted for scripts: an inline script is what an injection looks like. Fix: move it into a module under src/ so Vite emits it as a hashed file under /assets/.`,
    );
    return;
  }
  checkReference(tag, 'script', src, files, config, problem);
}

function checkLink(tag: HtmlTag, files: BuildFiles, config: ContractConfig, problem: Report): void {
  const rel = (tag.attributes.get('rel') ?? '').toLowerCase().split(/\s+/);
  const href = tag.attributes.get('href');
  if (href === undefined) return;
  if (rel.includes('stylesheet')) checkReference(tag, 'stylesheet', href, files, config, problem);
  else if (rel.includes('modulepreload')) checkReference(tag, 'script', href, files, config, problem);
}

/** A script or stylesheet reference: our own must be a hashed file of this build; a third party's, declared. */
function checkReference(
  tag: HtmlTag,
  kind: 'script' | 'stylesheet',
  url: string,
  files: BuildFiles,
  config: ContractConfig,
  problem: Report,
): void {
  const directive: ExtensibleDirective = kind === 'script' ? 'script-src' : 'style-src-elem';
  if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(url)) {
    let origin: string | undefined;
    try {
      origin = new URL(url, 'https://site.invalid').origin;
    } catch {
      origin = undefined;
    }
    if (!origin || !url.toLowerCase().startsWith('https:')) {
      problem(
        tag,
        `the ${kind} ${url} is not loaded over https; the CSP blocks it and it could be replaced in transit. Fix: load it from an https origin.`,
      );
    } else if (!(config.csp[directive] ?? []).includes(origin)) {
      problem(
        tag,
        `the ${kind} from ${origin} is not declared in csp['${directive}'] (${ENVIRONMENTS}), so the browser blocks it. Fix: add "${origin}" to csp['${directive}'] in lib/config/environments/<env>.ts if the app really needs it (docs/readme/app-build.md prices each addition).`,
      );
    }
    return;
  }
  const path = url.split(/[?#]/)[0];
  if (!path.startsWith('/')) {
    problem(
      tag,
      `the ${kind} "${url}" is a relative URL, which breaks on deep links (/booking/confirm would load /booking/${url}). Fix: set base: '/' in vite.config (Vite's default) so it is written as /assets/….`,
    );
  } else if (!HASHED_ASSET.test(path)) {
    problem(
      tag,
      `the ${kind} ${path} is not a hashed file under /assets/, so it cannot be cached immutably and a release could serve a stale copy. Fix: import it from the app's code (or leave it to Vite) so it is emitted as /assets/<name>-<hash>.${kind === 'script' ? 'js' : 'css'}.`,
    );
  } else if (!files.has(path.slice(1))) {
    problem(
      tag,
      `the ${kind} ${path} is not in the build, so every page would fail to load it. Fix: deploy the whole output folder of the same vite build that wrote this index.html.`,
    );
  }
}

/**
 * A `<style>` the build writes into index.html is the app's own static CSS, so it passes only with its hash declared:
 * 'unsafe-inline' is a last resort for CSS libraries inject at run time, and this CSS can move into a file.
 */
function checkStyle(tag: HtmlTag, config: ContractConfig, problem: Report): void {
  const hash = cspHashOf(tag.text ?? '');
  const declared = config.csp['style-src-elem'] ?? [];
  if (declared.includes(hash)) return;
  const fix = declared.includes("'unsafe-inline'")
    ? `move it into a CSS file the app imports ('unsafe-inline' is declared only for CSS libraries inject at run time, and cannot be combined with a hash)`
    : `move it into a CSS file the app imports, or declare its hash: add "${hash}" to csp['style-src-elem']`;
  problem(tag, `an inline <style> whose hash is not declared in csp['style-src-elem'] (${ENVIRONMENTS}). Fix: ${fix}.`);
}
