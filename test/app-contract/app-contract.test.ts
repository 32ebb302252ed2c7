/**
 * The app contract over builds good and bad: every problem at once, each with file, line, what and "Fix:", never
 * a secret's value; the real Vite build of the fixture app and the committed sample pass; synth of a bad build
 * exits non-zero with nothing written. Credential-shaped values are built at run time.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { AppContractProblem, checkAppContract, readBuild } from '../../lib/app-contract';
import { cspHashOf } from '../../lib/app-contract/index-html';
import { committedConfig } from '../../lib/config';
import { APP_DIST } from '../../lib/site/site-stack';
import { FIXTURE_APP_DIST } from '../fixtures/real-app/sources';
import { TYPESCRIPT_NODE_ARGS } from '../support/run-script';

const configs = [committedConfig.staging, committedConfig.production];
/** Without the real app's last-resort 'unsafe-inline', so inline <style> elements need a declared hash. */
const strictStyles = configs.map((c) => ({
  ...c,
  csp: { ...c.csp, 'style-src-elem': ['https://fonts.googleapis.com'] },
}));
const ROOT = join(__dirname, '..', '..');

function buildDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'miko-contract-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

function problemsOf(files: Record<string, string>, withConfigs = configs): AppContractProblem[] {
  const read = readBuild(buildDir(files));
  if (!(read instanceof Map)) return [read as AppContractProblem];
  return checkAppContract(read, withConfigs);
}

const GOOD_HTML =
  '<!doctype html>\n<html><head>\n<script type="module" crossorigin src="/assets/index-Ab12Cd34.js"></script>\n<link rel="stylesheet" href="/assets/index-Ef56Gh78.css">\n</head><body><div id="root"></div></body></html>\n';
const GOOD_FILES = {
  'index.html': GOOD_HTML,
  'assets/index-Ab12Cd34.js': 'console.log(1)',
  'assets/index-Ef56Gh78.css': 'body{}',
};
const sbSecret = 'sb_' + 'secret_' + 'Zx81kLmQ0pRt7VwY2bNc4dFg';
const serviceRoleJwt = [
  'eyJhbGciOiJIUzI1NiJ9',
  Buffer.from(JSON.stringify({ role: 'service_role' })).toString('base64url'),
  'c2lnbmF0dXJlLXBsYWNlaG9sZGVy',
].join('.');
const privateKey = '-----BEGIN ' + 'RSA PRIVATE KEY-----';

describe('the app contract', () => {
  it('passes a real Vite build of a React app (the fixture) and the committed sample in app-dist/', () => {
    for (const dist of [FIXTURE_APP_DIST, APP_DIST]) {
      const files = readBuild(dist);
      expect(files).toBeInstanceOf(Map);
      expect(checkAppContract(files as Map<string, Buffer>, configs)).toEqual([]);
    }
  });

  it('passes a minimal honest build', () => {
    expect(problemsOf(GOOD_FILES)).toEqual([]);
  });

  it('reports a missing index.html with the fix', () => {
    expect(problemsOf({ 'assets/index-Ab12Cd34.js': '' })).toEqual([
      {
        file: 'index.html',
        message: expect.stringMatching(
          /^is missing: CloudFront serves it for \/ and every deep link.*Fix: point synth at the folder vite build writes/,
        ),
      },
    ]);
  });

  it('reports a build folder that does not exist', () => {
    const read = readBuild(join(tmpdir(), 'miko-no-such-build'));
    expect(read).toMatchObject({
      file: '.',
      message: expect.stringMatching(/cannot be read \(ENOENT\)\. Fix: run the app's build/),
    });
  });

  it('reports HTML that does not parse, with its line', () => {
    expect(
      problemsOf({ ...GOOD_FILES, 'index.html': '<html>\n<head>\n<script src="/assets/index-Ab12Cd34.js">\n' }),
    ).toEqual([
      { file: 'index.html', line: 3, message: expect.stringMatching(/does not parse: <script> is never closed.*Fix:/) },
    ]);
  });

  it("reports every problem at once, each with file, line, what and the fix, and never a secret's value", () => {
    const style = 'body{margin:0}';
    const html = [
      '<!doctype html><html><head>',
      '<script>window.dataLayer=[]</script>',
      `<style>${style}</style>`,
      '<script src="/assets/index-Ab12Cd34.js"></script><script src="/main.js"></script>',
      '<script src="https://cdn.example.com/lib.js"></script><link rel="stylesheet" href="http://fonts.example.com/a.css">',
      '<script src="/assets/vendor-Zz99Yy88.js"></script><link rel="stylesheet" href="assets/index-Ef56Gh78.css">',
      '</head><body><button onclick="go()">Go</button><a href="javascript:void(0)">x</a><p style="color:red">y</p>',
      '<script type="application/ld+json">{"@type":"MedicalClinic"}</script></body></html>',
    ].join('\n');
    const problems = problemsOf(
      {
        ...GOOD_FILES,
        'index.html': html,
        'assets/index-Ab12Cd34.js': `console.log(1);\nconst key="${sbSecret}";`,
        'assets/index-Ab12Cd34.js.map': `{"sourcesContent":["const k='${serviceRoleJwt}'"]}`,
        'assets/worker-Qq11Ww22.js': `\n\n${privateKey}`,
      },
      strictStyles,
    );
    const lines = problems.map((p) => `${p.file}:${p.line ?? ''}: ${p.message}`);
    expect(lines).toEqual([
      expect.stringMatching(
        /^assets\/index-Ab12Cd34\.js:2: holds a Supabase secret API key \(sb_secret_…\); every file of the build is public\. Fix: .*rotate it/,
      ),
      expect.stringMatching(/^assets\/index-Ab12Cd34\.js\.map:1: holds a Supabase service-role JWT/),
      expect.stringMatching(/^assets\/worker-Qq11Ww22\.js:3: holds a private key/),
      expect.stringMatching(/^index\.html:2: an inline <script> .*Fix: move it into a module under src\//),
      expect.stringMatching(
        new RegExp(
          `^index\\.html:3: an inline <style> whose hash is not declared in csp\\['style-src-elem'\\] \\(staging, production\\).*Fix: .*"${cspHashOf(style).replace(/[+/]/g, '\\$&')}"`,
        ),
      ),
      expect.stringMatching(/^index\.html:4: the script \/main\.js is not a hashed file under \/assets\/.*Fix:/),
      expect.stringMatching(
        /^index\.html:5: the script from https:\/\/cdn\.example\.com is not declared in csp\['script-src'\] \(staging, production\).*Fix: add "https:\/\/cdn\.example\.com"/,
      ),
      expect.stringMatching(
        /^index\.html:5: the stylesheet http:\/\/fonts\.example\.com\/a\.css is not loaded over https.*Fix:/,
      ),
      expect.stringMatching(
        /^index\.html:6: the script \/assets\/vendor-Zz99Yy88\.js is not in the build.*Fix: deploy the whole output folder/,
      ),
      expect.stringMatching(/^index\.html:6: the stylesheet "assets\/index-Ef56Gh78\.css" is a relative URL.*Fix:/),
      expect.stringMatching(
        /^index\.html:7: <button onclick=…> is an inline event handler.*Fix: attach the handler in the app's code/,
      ),
      expect.stringMatching(/^index\.html:7: <a href="javascript:…"> runs code from a URL.*Fix:/),
      expect.stringMatching(/^index\.html:7: <p style="…"> is an inline style attribute.*Fix:/),
    ]);
    const all = lines.join('\n');
    expect(all).not.toContain(sbSecret);
    expect(all).not.toContain(serviceRoleJwt.split('.')[1]);
  });

  it('accepts an inline <style> whose hash the config declares, and a third-party script from a declared origin', () => {
    const style = 'body{margin:0}';
    const declared = configs.map((c) => ({
      ...c,
      csp: { ...c.csp, 'style-src-elem': [cspHashOf(style)], 'script-src': ['https://cdn.example.com'] },
    }));
    expect(
      problemsOf(
        { ...GOOD_FILES, 'index.html': GOOD_HTML.replace('</head>', `<style>${style}</style></head>`) },
        strictStyles,
      ),
    ).toHaveLength(1);
    const html = GOOD_HTML.replace(
      '</head>',
      `<style>${style}</style><script src="https://cdn.example.com/lib.js"></script></head>`,
    );
    expect(problemsOf({ ...GOOD_FILES, 'index.html': html }, declared)).toEqual([]);
    expect(problemsOf({ ...GOOD_FILES, 'index.html': html.replace('margin:0', 'margin:1px') }, declared)).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/inline <style> whose hash is not declared/) }),
    ]);
  });

  it("refuses an inline <style> in index.html under the committed config too: its last-resort 'unsafe-inline' is for CSS libraries inject at run time", () => {
    const html = GOOD_HTML.replace('</head>', '<style>body{margin:0}</style><base href="/app/"></head>');
    expect(problemsOf({ ...GOOD_FILES, 'index.html': html }).map((p) => p.message)).toEqual([
      expect.stringMatching(
        /^an inline <style> whose hash is not declared in csp\['style-src-elem'\] \(staging, production\)\. Fix: move it into a CSS file the app imports \('unsafe-inline' is declared only for CSS libraries inject/,
      ),
      expect.stringMatching(/^<base> is blocked by the CSP \(base-uri 'none'.*Fix: remove it/),
    ]);
  });

  it('passes a Google API key in a chunk only when config declares that exact key public, by its SHA-256', () => {
    const key = 'AI' + 'za' + 'SyB1c2VyLXN1cHBsaWVkLWtleS1mb3ItdGV'.slice(0, 35);
    const files = { ...GOOD_FILES, 'assets/maps-Mm12Nn34.js': `loadMaps({key:"${key}"})` };
    expect(problemsOf(files).map((p) => `${p.file}:${p.line}: ${p.message}`)).toEqual([
      expect.stringMatching(
        /^assets\/maps-Mm12Nn34\.js:1: holds a Google API key .*not declared public in appBuild\.publicGoogleApiKeys/,
      ),
    ]);
    const sha256 = createHash('sha256').update(key).digest('hex');
    const declared = configs.map((c) => ({
      ...c,
      appBuild: {
        publicGoogleApiKeys: [{ sha256, referrers: [`https://${c.envName}.example.com/*`], purpose: 'Maps' }],
      },
    }));
    expect(problemsOf(files, declared)).toEqual([]);
  });

  it("refuses a config.json, version.json or flags.json of the build's own: the deploy or the edge writes them", () => {
    expect(problemsOf({ ...GOOD_FILES, 'config.json': '{}', 'version.json': '{}', 'flags.json': '{}' })).toEqual([
      {
        file: 'config.json',
        message: expect.stringMatching(
          /public runtime config, written per environment at deploy.*Fix: remove it from the app's public\/ folder/,
        ),
      },
      { file: 'flags.json', message: expect.stringMatching(/answered by the edge from the release store.*Fix:/) },
      { file: 'version.json', message: expect.stringMatching(/written at deploy.*Fix:/) },
    ]);
  });

  it('makes synth exit non-zero, listing the problems and writing nothing', () => {
    const bad = buildDir({
      'index.html': '<html><head><script>alert(1)</script></head></html>',
      'assets/app-Ab12Cd34.js': `k="${sbSecret}"`,
    });
    const outdir = mkdtempSync(join(tmpdir(), 'miko-contract-out-'));
    const run = spawnSync(process.execPath, [...TYPESCRIPT_NODE_ARGS, join(ROOT, 'bin', 'app.ts')], {
      cwd: ROOT,
      env: { ...process.env, MIKO_APP_DIST: bad, CDK_OUTDIR: outdir },
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/breaks the app contract .* in 2 places; nothing was synthesized/);
    expect(run.stderr).toMatch(/assets\/app-Ab12Cd34\.js:1: holds a Supabase secret API key/);
    expect(run.stderr).toMatch(/index\.html:1: an inline <script>/);
    expect(run.stderr).not.toContain(sbSecret);
    expect(readdirSync(outdir)).toEqual([]);
  });
});
