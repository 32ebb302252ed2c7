/**
 * What one release contains, computed at synth (pure functions, unit-tested): its id, its files by cache class,
 * index.html with the infrastructure's additions (Subresource Integrity, the prober's build marker), and the
 * environment's `config.json` and `version.json`. The secret guard runs on `config.json` here, failing synth by name.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { EnvironmentConfig } from '../config';
import { findSecretLookingValues } from '../config/secret-guard';
import { BUILD_MARKER_NAME, buildMarkerTag } from '../../lambda/shared/build-marker';

/** Release ids become S3 prefixes and a KeyValueStore value: keep them short and URL-safe. */
export const RELEASE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Cache-Control per file class, written on each object at upload (the cache policies honour it). */
export const CACHE_CONTROL = {
  /** Hashed files under assets/: their name changes with their content. */
  assets: 'public, max-age=31536000, immutable',
  /** HTML and the runtime config: always revalidated, so a pointer move is seen on the next load. */
  documents: 'no-cache',
  /** favicon, robots.txt and other unhashed public files: five minutes, then revalidated. */
  publicFiles: 'public, max-age=300, must-revalidate',
} as const;

/** The prefix of the shared, immutable hashed files in app-dist and in the bucket. */
export const ASSETS_DIR = 'assets';

export type FileClass = 'assets' | 'documents' | 'publicFiles';

/** Every file of a directory, as forward-slash paths relative to it, sorted (so hashes are stable). */
export function listFiles(dir: string): string[] {
  const walk = (current: string): string[] =>
    readdirSync(current).flatMap((name) => {
      const path = join(current, name);
      return statSync(path).isDirectory() ? walk(path) : [relative(dir, path).split(sep).join('/')];
    });
  return walk(dir).sort();
}

export function classifyFile(path: string): FileClass {
  if (path.startsWith(`${ASSETS_DIR}/`)) return 'assets';
  if (/\.html?$/i.test(path) || path === 'config.json' || path === 'version.json') return 'documents';
  return 'publicFiles';
}

/**
 * A content hash of the build and of the environment's public runtime config: the same inputs always get the same
 * release id (offline synth is deterministic), and a config change is a new release, so rollback restores it too.
 */
export function contentReleaseId(appDist: string, runtimeConfigFingerprint = ''): string {
  const hash = createHash('sha256');
  for (const file of listFiles(appDist))
    hash
      .update(file)
      .update('\0')
      .update(readFileSync(join(appDist, file)))
      .update('\0');
  hash.update(runtimeConfigFingerprint);
  return `c-${hash.digest('hex').slice(0, 12)}`;
}

/** The release id: `-c release=<id>`, else MIKO_RELEASE, else the content hash of app-dist and the public config. */
export function resolveReleaseId(sources: {
  context?: unknown;
  env?: string;
  appDist: string;
  runtimeConfigFingerprint?: string;
}): string {
  const chosen =
    typeof sources.context === 'string' && sources.context !== '' ? sources.context : sources.env || undefined;
  if (chosen === undefined) return contentReleaseId(sources.appDist, sources.runtimeConfigFingerprint);
  if (!RELEASE_ID_PATTERN.test(chosen)) {
    throw new Error(
      `release id "${chosen}" is not usable as an S3 prefix. Fix: use 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit (e.g. the short git sha).`,
    );
  }
  return chosen;
}

/**
 * Adds `integrity="sha384-…"` to every same-origin `<script src>` and stylesheet `<link href>` of the HTML whose
 * file is in the build, so a tampered chunk is refused by the browser (and the Observatory counts SRI).
 */
export function addSubresourceIntegrity(html: string, readBuildFile: (path: string) => Buffer | undefined): string {
  const digest = (path: string) => {
    const content = readBuildFile(path.replace(/^\//, '').split(/[?#]/)[0]);
    return content && `sha384-${createHash('sha384').update(content).digest('base64')}`;
  };
  return html.replace(/<(script|link)\b[^>]*>/gi, (tag, name: string) => {
    if (/\bintegrity\s*=/i.test(tag)) return tag;
    if (name.toLowerCase() === 'link' && !/\brel\s*=\s*["']?stylesheet/i.test(tag)) return tag;
    const url = /\b(?:src|href)\s*=\s*["']([^"']+)["']/i.exec(tag)?.[1];
    if (!url || /^[a-z]+:|^\/\//i.test(url)) return tag;
    const integrity = digest(url);
    return integrity ? tag.replace(/\s*\/?>$/, (end) => ` integrity="${integrity}"${end}`) : tag;
  });
}

/**
 * Writes the prober's build marker (naming the release) as the first element of `<head>`, replacing one the build
 * may carry already, so the prober's check holds for any honest build.
 */
export function addBuildMarker(html: string, release: string): string {
  const existing = new RegExp(`\\s*<meta\\s+name=["']?${BUILD_MARKER_NAME}["']?[^>]*>`, 'gi');
  const withoutOld = html.replace(existing, '');
  const head = /<head\b[^>]*>/i.exec(withoutOld);
  if (!head) return `${buildMarkerTag(release)}\n${withoutOld}`;
  const at = head.index + head[0].length;
  return `${withoutOld.slice(0, at)}\n    ${buildMarkerTag(release)}${withoutOld.slice(at)}`;
}

/** The released form of one HTML file of the build: the deploy's marker and SRI added. */
export function releasedHtml(
  html: string,
  release: string,
  readBuildFile: (path: string) => Buffer | undefined,
): string {
  return addSubresourceIntegrity(addBuildMarker(html, release), readBuildFile);
}

export interface RuntimeConfigInput {
  readonly config: Pick<EnvironmentConfig, 'envName' | 'publicRuntimeConfig' | 'features' | 'backends' | 'domain'>;
  readonly release: string;
}

/** The environment's public `config.json`: what the SPA reads at start instead of build-time VITE_* variables. */
export function runtimeConfig({ config, release }: RuntimeConfigInput): Record<string, unknown> {
  return {
    environment: config.envName,
    release,
    siteUrl: `https://${config.domain.name}`,
    ...config.publicRuntimeConfig,
    supabaseUrl: config.backends.supabase.projectUrl,
    n8nWebhookUrl: config.backends.n8n.webhookUrl,
    sentryDsn: config.backends.sentry.dsn,
    googleApis: config.backends.google.apis,
    googleSignInWithPopup: config.backends.google.signInWithPopup,
    features: config.features,
  };
}

/** Refuses a `config.json` holding anything that looks like a secret, naming the key (never the value). */
export function assertPublic(publicConfig: Record<string, unknown>, file = 'config.json'): void {
  const findings = findSecretLookingValues(publicConfig);
  if (findings.length === 0) return;
  throw new Error(
    `${file} would publish ${findings.length === 1 ? 'a value that looks' : 'values that look'} like a secret to every browser; nothing was synthesized:\n` +
      findings
        .map(
          (f) =>
            `  - ${f.path}: ${f.reason}. Fix: keep it in Secrets Manager (README "Credentials") and remove it from the public config.`,
        )
        .join('\n'),
  );
}

export interface VersionInfo {
  readonly release: string;
  readonly commit: string;
  readonly builtAt: string;
}

/** `version.json`: which release, from which commit, built when (from the pipeline's environment; 'unknown' offline). */
export function versionInfo(release: string, env: NodeJS.ProcessEnv): VersionInfo {
  return {
    release,
    commit: env.MIKO_COMMIT || env.GITHUB_SHA || 'unknown',
    builtAt: env.MIKO_BUILT_AT || 'unknown',
  };
}
