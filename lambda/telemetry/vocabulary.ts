/**
 * What the collector may keep of a report's text: the words of the release's own code. Built at synth from the
 * app's build (JS, CSS, HTML), shipped beside the collector in a Lambda layer, and read once per cold start.
 * Everything a browser sends that is not code (a name, a street, a diagnosis) is therefore absent from it.
 */
import { readFileSync } from 'node:fs';

/** Where the layer (lib/telemetry/vocabulary-layer.ts) puts the file inside the function: layers unpack to /opt. */
export const VOCABULARY_LAYER_DIR = 'miko-telemetry';
export const VOCABULARY_FILE_NAME = 'vocabulary.json';
export const VOCABULARY_PATH = `/opt/${VOCABULARY_LAYER_DIR}/${VOCABULARY_FILE_NAME}`;

export interface Vocabulary {
  /** Identifiers and words of the build's JS, CSS and HTML, case as written. */
  readonly words: ReadonlySet<string>;
  /** Path literals of the app (`/booking/:id`, and `booking` from a nested route), the build's files, the platform's paths. */
  readonly routes: readonly string[];
}

/** The file's shape: sorted, so the same build always gives the same bytes (and the same layer asset). */
export interface VocabularyDocument {
  readonly words: readonly string[];
  readonly routes: readonly string[];
}

/** Paths the platform serves on the site's origin, whatever the build (config, version, health, telemetry). */
const PLATFORM_PATHS = [
  '/',
  '/index.html',
  '/config.json',
  '/version.json',
  '/health',
  '/health/db',
  '/health/apis',
  '/_telemetry/csp',
  '/_telemetry/reports',
  '/_telemetry/errors',
  '/_telemetry/vitals',
];

/** A word of code: letters, digits, `_`, `$`, any script (a German UI says "Terminbestätigung"). */
export const WORD = /[\p{L}\p{M}\p{N}_$]+/gu;
/** Longer "words" are data baked into a bundle (base64, hashes), not something a message quotes. */
const MAX_WORD_LENGTH = 40;
const TEXT_FILE = /\.(?:m?js|css|html?)$/i;
// A path in a string literal ("/booking/:id"), and a router's relative route (`path:"booking/:id"`).
const PATH_LITERAL = /["'`](\/(?!\/)[\w.~:*@/-]{0,120})["'`]/g;
const ROUTE_PROPERTY = /\bpath\s*:\s*["'`]([\w.~:*@-][\w.~:*@/-]{0,120})["'`]/g;

/** The vocabulary of one build: every file of it, by its path relative to the build folder. */
export function vocabularyDocumentOf(files: ReadonlyMap<string, Buffer>): VocabularyDocument {
  const words = new Set<string>();
  const routes = new Set<string>(PLATFORM_PATHS);
  for (const [path, body] of files) {
    routes.add(`/${path}`);
    if (!TEXT_FILE.test(path)) continue;
    const text = body.toString('utf8');
    for (const [word] of text.matchAll(WORD))
      if (word.length <= MAX_WORD_LENGTH && !/^\d+$/.test(word)) words.add(word);
    if (!/\.m?js$/i.test(path)) continue;
    for (const [, literal] of text.matchAll(PATH_LITERAL)) routes.add(literal);
    for (const [, literal] of text.matchAll(ROUTE_PROPERTY)) routes.add(literal);
  }
  return { words: [...words].sort(), routes: [...routes].sort() };
}

export function vocabularyFrom(document: VocabularyDocument): Vocabulary {
  return { words: new Set(document.words), routes: document.routes };
}

/** The collector's vocabulary; a layer that is missing or unreadable is said so, never silently guessed. */
export function readVocabulary(path: string = VOCABULARY_PATH): Vocabulary {
  let document: VocabularyDocument;
  try {
    document = JSON.parse(readFileSync(path, 'utf8')) as VocabularyDocument;
  } catch (error) {
    throw new Error(
      `the collector's vocabulary ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}). Fix: deploy the Telemetry stack, which attaches it as a layer built from the release's app build.`,
    );
  }
  if (!Array.isArray(document.words) || !Array.isArray(document.routes))
    throw new Error(
      `the collector's vocabulary ${path} has no "words" and "routes" lists. Fix: redeploy the Telemetry stack.`,
    );
  return vocabularyFrom(document);
}

/** No words but the browser's own: what the collector keeps when it knows nothing of the build (tests, tools). */
export const EMPTY_VOCABULARY: Vocabulary = { words: new Set(), routes: PLATFORM_PATHS };
