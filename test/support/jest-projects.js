/**
 * Which Jest project a test file runs in, decided by what it uses, so a new file needs no list to join:
 * `integration` when it (or a helper of its own under test/) reads the whole-app synth, drives Chromium, PostgreSQL
 * or a child process (git, a command); `unit` otherwise (pure code, local servers, at most a small stack of its own).
 * test/jest-projects.test.ts checks that every test file lands in exactly one project.
 */
const { existsSync, readdirSync, readFileSync, statSync } = require('node:fs');
const { dirname, join, relative, resolve } = require('node:path');

const ROOT = join(__dirname, '..', '..');

/** What makes a file an integration test: a pattern in its source, and the reason shown when it matches. */
const INTEGRATION_USES = [
  [/support\/(assembly|cached-assembly|synth-test-assembly)'/, 'reads the whole-app synth (test/support/assembly)'],
  [/\b(buildApp|synthesizeApp|synthesizedAssembly|testAssemblyDir)\b/, 'synthesizes the whole app'],
  [/support\/(browser|preview)'|lib\/chromium'|\b(checkApp|browseSite|launchChromium)\b/, 'drives Chromium'],
  [/support\/postgres'/, 'runs PostgreSQL'],
  [/\bCachedCloudFormationValidatePlugin\b/, "starts CloudFormation Validate's engine"],
  [/node:child_process'|support\/run-script'/, 'starts child processes (git, a command, node)'],
];

function testFiles(dir = join(ROOT, 'test')) {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (entry === 'node_modules' || entry === 'fixtures') return [];
    if (statSync(path).isDirectory()) return testFiles(path);
    return entry.endsWith('.test.ts') ? [path] : [];
  });
}

/** The TypeScript test helpers (files under test/) that `file` imports by a relative path. */
function testHelpersOf(file, source) {
  const specifiers = [...source.matchAll(/from '(\.{1,2}\/[^']+)'/g)].map((match) => match[1]);
  return specifiers
    .map((specifier) => resolve(dirname(file), specifier))
    .flatMap((path) => [`${path}.ts`, join(path, 'index.ts')].filter((p) => existsSync(p)).slice(0, 1))
    .filter((path) => !relative(join(ROOT, 'test'), path).startsWith('..'));
}

/**
 * What `file` uses: its source and those of the test helpers it reaches, each helper also named by its path from
 * the root (`from 'test/support/assembly'`), so a test that reads the app through a helper of its own counts too.
 */
function usedSource(file, seen = new Set([file])) {
  const source = readFileSync(file, 'utf8');
  const helpers = testHelpersOf(file, source).filter((helper) => !seen.has(helper));
  for (const helper of helpers) seen.add(helper);
  const named = helpers.map((helper) => `from '${relative(ROOT, helper).replace(/\.[jt]s$/, '')}'`);
  return [source, ...named, ...helpers.map((helper) => usedSource(helper, seen))].join('\n');
}

/** The reasons a file is an integration test; none means unit. */
function integrationReasons(file) {
  const source = usedSource(file);
  return INTEGRATION_USES.filter(([pattern]) => pattern.test(source)).map(([, reason]) => reason);
}

function projectFiles() {
  const unit = [];
  const integration = [];
  for (const file of testFiles()) (integrationReasons(file).length > 0 ? integration : unit).push(file);
  return { unit, integration };
}

module.exports = { ROOT, testFiles, integrationReasons, projectFiles, relativeToRoot: (f) => relative(ROOT, f) };
