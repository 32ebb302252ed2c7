/**
 * The app contract over builds good and bad: every problem at once, each with file, line, what and "Fix:", never
 * a secret's value; the real Vite build of the fixture app and the committed sample pass. Credential-shaped values
 * are built at run time (./builds).
 */
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AppContractError,
  AppContractProblem,
  assertAppContract,
  checkAppContract,
  readBuild,
} from '../../lib/app-contract';
import { parseHtml } from '../../lib/app-contract/html';
import { cspHashOf } from '../../lib/app-contract/index-html';
import { committedConfig } from '../../lib/config';
import { APP_DIST } from '../../lib/site/site-stack';
import { FIXTURE_APP_DIST } from '../fixtures/real-app/sources';
import { buildDir, sbSecret } from './builds';

const configs = [committedConfig.staging, committedConfig.production];
/** Without the real app's last-resort 'unsafe-inline', so inline <style> elements need a declared hash. */
const strictStyles = configs.map((c) => ({
  ...c,
  csp: { ...c.csp, 'style-src-elem': ['https://fonts.googleapis.com'] },
}));
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
});

describe('the HTML tokenizer: what it reads and what it refuses', () => {
  const attributesOf = (html: string) => {
    const parsed = parseHtml(html);
    if (!parsed.ok) throw new Error(`did not parse: ${parsed.error}`);
    return parsed.tags.map((t) => [t.name, Object.fromEntries(t.attributes), t.line, t.text]);
  };

  it('reads double-, single- and un-quoted values, bare attributes, upper case, text and raw-text elements', () => {
    expect(
      attributesOf(
        `a < b <!doctype html>\n<SCRIPT Type='module' SRC=/a.js defer>x<b></ScRiPt><!-- 1 > 0 <script>alert(1)</script> --><!--<b-->\n</div><?x?><style>p{}</STYLE>`,
      ),
    ).toEqual([
      ['script', { type: 'module', src: '/a.js', defer: '' }, 2, 'x<b>'],
      ['style', {}, 3, 'p{}'],
    ]);
    expect(attributesOf('<img/src="/x.png"  alt = "a b"/>')).toEqual([
      ['img', { src: '/x.png', alt: 'a b' }, 1, undefined],
    ]);
  });

  it.each([
    ['<p>\n<!-- never closed', 2, 'a comment is never closed (no "-->")'],
    ['<!-->', 1, 'a comment is never closed (no "-->")'],
    ['<?xml version="1.0"', 1, 'a tag is never closed (no ">")'],
    ['<p>\n</p', 2, 'a tag is never closed (no ">")'],
    ['<!doctype html', 1, 'a tag is never closed (no ">")'],
    ['<p>\n\n<div class="a"', 3, '<div> is never closed (no ">")'],
    ['<div\nclass  =  "a>\n', 2, '<div> has an unterminated quoted value'],
    ['<div "x">', 1, '<div> has a malformed attribute or an unterminated quoted value'],
    // A value with no name: the attribute must start where the tag's text does, not further on.
    ['<div =x>', 1, '<div> has a malformed attribute or an unterminated quoted value'],
    ['<p>\n<style>p{}', 2, '<style> is never closed (no </style>)'],
  ])('refuses %j at line %i: %s', (html, line, error) => {
    expect(parseHtml(html)).toEqual({ ok: false, line, error });
  });
});

describe('the rules for index.html, one at a time', () => {
  const withHead = (head: string, withConfigs = configs) =>
    problemsOf({ ...GOOD_FILES, 'index.html': GOOD_HTML.replace('</head>', `${head}</head>`) }, withConfigs).map(
      (p) => p.message,
    );

  it('accepts what a browser never runs: data blocks in any case, empty scripts, look-alike attributes, icons', () => {
    expect(
      withHead(
        '<script type="Application/LD+JSON">{}</script><script type="application/json">{"a":1}</script><script>  \n</script>' +
          '<div data-onclick="x" on="y" onboarding-step="1" title="javascript:x"></div><a rel="stylesheet" href="/help/styles">s</a><a href=" /javascript:x">a</a>' +
          '<link rel="icon" href="/favicon.ico"><link rel="stylesheet"><link rel="preload stylesheet" href="/assets/index-Ef56Gh78.css">' +
          '<script src="/assets/index-Ab12Cd34.js?v=build:2&from=//cdn#top"></script><link rel="modulepreload" href="/assets/index-Ab12Cd34.js">',
      ),
    ).toEqual([]);
  });

  it('refuses code in a javascript: URL of any URL attribute, in any case and after spaces', () => {
    expect(
      withHead(
        '<form action=" JavaScript:go()"><button formaction="javascript:x">b</button></form><iframe src="javascript:x"></iframe>' +
          '<svg><a xlink:href="javascript:x"></a></svg><object data="javascript:x"></object>',
      ),
    ).toEqual([
      expect.stringMatching(/^<form action="javascript:…"> runs code from a URL/),
      expect.stringMatching(/^<button formaction="javascript:…"> runs code from a URL/),
      expect.stringMatching(/^<iframe src="javascript:…"> runs code from a URL/),
      expect.stringMatching(/^<a xlink:href="javascript:…"> runs code from a URL/),
      expect.stringMatching(/^<object data="javascript:…"> runs code from a URL/),
    ]);
  });

  it("accepts style attributes when csp['style-src-attr'] declares 'unsafe-inline', and names the environments that do not", () => {
    const [staging, production] = configs;
    const lenient = { ...staging, csp: { ...staging.csp, 'style-src-attr': ["'unsafe-inline'"] } };
    expect(withHead('<p style="color:red"></p>', [lenient])).toEqual([]);
    expect(withHead('<p style="color:red"></p>', [lenient, production])).toEqual([
      expect.stringContaining("does not declare 'unsafe-inline' in production). Fix:"),
    ]);
  });

  it('refuses inline module scripts, and modulepreload links and scripts that are not hashed build files', () => {
    expect(
      withHead(
        '<script type="module">import "/x.js"</script><link rel="modulepreload" href="/assets/lib.js">' +
          '<script src="/assets/index-Ab12C.js"></script><script src="/assets/index-Ab12Cd34.json"></script>' +
          '<script src="/x/assets/index-Ab12Cd34.js"></script><link rel="Stylesheet" href="/assets/index-Ab12Cd34.css.map">',
      ),
    ).toEqual([
      expect.stringMatching(/^an inline <script> \('sha256-/),
      expect.stringMatching(/^the script \/assets\/lib\.js is not a hashed file .*\/assets\/<name>-<hash>\.js\.$/),
      expect.stringMatching(/^the script \/assets\/index-Ab12C\.js is not a hashed file/),
      expect.stringMatching(/^the script \/assets\/index-Ab12Cd34\.json is not a hashed file/),
      expect.stringMatching(/^the script \/x\/assets\/index-Ab12Cd34\.js is not a hashed file/),
      expect.stringMatching(/^the stylesheet \/assets\/index-Ab12Cd34\.css\.map is not a hashed file .*<hash>\.css\.$/),
    ]);
  });

  it('refuses third-party files not over https (protocol-relative, data:, http:, unparsable), and accepts an HTTPS one declared', () => {
    const declared = configs.map((c) => ({ ...c, csp: { ...c.csp, 'script-src': ['https://cdn.example.com'] } }));
    expect(
      withHead(
        '<script src="//cdn.example.com/a.js"></script><script src="data:text/javascript,1"></script>' +
          '<script src="https://[bad/a.js"></script><script src="HTTPS://CDN.example.com/b.js"></script>',
        declared,
      ),
    ).toEqual([
      'the script //cdn.example.com/a.js is not loaded over https; the CSP blocks it and it could be replaced in transit. Fix: load it from an https origin.',
      expect.stringMatching(/^the script data:text\/javascript,1 is not loaded over https/),
      expect.stringMatching(/^the script https:\/\/\[bad\/a\.js is not loaded over https/),
    ]);
  });

  it("judges a stylesheet's origin by csp['style-src-elem'] and a script's by csp['script-src']", () => {
    const crossed = configs.map((c) => ({
      ...c,
      csp: { ...c.csp, 'script-src': ['https://css.example.com'], 'style-src-elem': ['https://js.example.com'] },
    }));
    expect(
      withHead(
        '<script src="https://js.example.com/a.js"></script><link rel="stylesheet" href="https://css.example.com/a.css">',
        crossed,
      ),
    ).toEqual([
      expect.stringMatching(/^the script from https:\/\/js\.example\.com is not declared in csp\['script-src'\]/),
      expect.stringMatching(
        /^the stylesheet from https:\/\/css\.example\.com is not declared in csp\['style-src-elem'\]/,
      ),
    ]);
  });
});

describe('problems over several environments, and the error synth throws', () => {
  it('names only the environments a config-dependent problem applies to, and sorts by file then line', () => {
    const [staging, production] = configs;
    const html = [
      '<!doctype html><html><head>',
      '<script src="https://a.example.com/a.js"></script>',
      '<script src="https://b.example.com/b.js"></script>',
      '</head></html>',
    ].join('\n');
    const problems = problemsOf({ ...GOOD_FILES, 'index.html': html, 'config.json': '{}' }, [
      { ...staging, csp: { ...staging.csp, 'script-src': ['https://a.example.com'] } },
      { ...production, csp: { ...production.csp, 'script-src': ['https://b.example.com'] } },
    ]);
    expect(problems.map((p) => `${p.file}:${p.line ?? ''}: ${p.message.split('. Fix')[0]}`)).toEqual([
      expect.stringMatching(/^config\.json:: is the environment's public runtime config/),
      "index.html:2: the script from https://a.example.com is not declared in csp['script-src'] (production), so the browser blocks it",
      "index.html:3: the script from https://b.example.com is not declared in csp['script-src'] (staging), so the browser blocks it",
    ]);
  });

  it('throws AppContractError listing each problem with file and line, in one place or several, and passes a good build', () => {
    expect(() => assertAppContract(buildDir(GOOD_FILES), configs)).not.toThrow();
    const one = buildDir({ ...GOOD_FILES, 'index.html': '<html>\n<script>alert(1)</script></html>' });
    expect(() => assertAppContract(one, configs)).toThrow(
      new RegExp(
        `^The app build in ${one} breaks the app contract \\(docs/readme/app-build\\.md\\) in 1 place; nothing was synthesized:\\n  - index\\.html:2: an inline <script> \\('sha256-[^']+'\\); the CSP allows only script files`,
      ),
    );
    const missing = join(tmpdir(), 'miko-no-such-build');
    let thrown: unknown;
    try {
      assertAppContract(missing, configs);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AppContractError);
    expect(thrown).toMatchObject({ name: 'AppContractError', dist: missing, problems: [{ file: '.' }] });
    expect((thrown as Error).message).toMatch(
      /in 1 place; nothing was synthesized:\n {2}- \.: the build folder cannot be read \(ENOENT\)\. Fix:/,
    );
    const two = buildDir({ ...GOOD_FILES, 'config.json': '{}', 'version.json': '{}' });
    expect(() => assertAppContract(two, configs)).toThrow(
      /in 2 places; nothing was synthesized:\n {2}- config\.json: is [^\n]+\n {2}- version\.json: is /,
    );
  });
});
