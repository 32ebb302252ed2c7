import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { committedConfig } from '../../lib/config';
import { FIXTURE_APP_DIST as BUILD } from '../fixtures/real-app/sources';
import {
  CACHE_CONTROL,
  addBuildMarker,
  addSubresourceIntegrity,
  assertPublic,
  classifyFile,
  contentReleaseId,
  resolveReleaseId,
  runtimeConfig,
  versionInfo,
} from '../../lib/site/release-content';
import { testTempDir } from '../support/temp-dir';

const serviceRoleJwt = [
  'eyJhbGciOiJIUzI1NiJ9',
  Buffer.from(JSON.stringify({ role: 'service_role' })).toString('base64url'),
  'c2lnbmF0dXJl',
].join('.');

describe('a release', () => {
  it('sorts the files of the sample build into cache classes', () => {
    expect(classifyFile('assets/index-c63af811.js')).toBe('assets');
    expect(classifyFile('index.html')).toBe('documents');
    expect(classifyFile('config.json')).toBe('documents');
    expect(classifyFile('version.json')).toBe('documents');
    expect(classifyFile('robots.txt')).toBe('publicFiles');
    expect(classifyFile('favicon.svg')).toBe('publicFiles');
  });

  it('caches only hashed assets for a year', () => {
    expect(CACHE_CONTROL.assets).toBe('public, max-age=31536000, immutable');
    expect(CACHE_CONTROL.documents).toBe('no-cache');
    expect(CACHE_CONTROL.publicFiles).toBe('public, max-age=300, must-revalidate');
  });

  it('takes its id from context, then MIKO_RELEASE, then the build content (deterministic)', () => {
    expect(resolveReleaseId({ context: 'ctx-1', env: 'env-1', appDist: BUILD })).toBe('ctx-1');
    expect(resolveReleaseId({ context: undefined, env: 'env-1', appDist: BUILD })).toBe('env-1');
    const byContent = resolveReleaseId({ appDist: BUILD });
    expect(byContent).toMatch(/^c-[0-9a-f]{12}$/);
    expect(resolveReleaseId({ appDist: BUILD })).toBe(byContent);
    expect(() => resolveReleaseId({ context: '../escape', appDist: BUILD })).toThrow(
      /not usable as an S3 prefix. Fix:/,
    );
  });

  it('changes its content id when a file changes', () => {
    const dir = testTempDir('miko-dist-');
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<p>a</p>');
    const before = contentReleaseId(dir);
    writeFileSync(join(dir, 'index.html'), '<p>b</p>');
    expect(contentReleaseId(dir)).not.toBe(before);
  });

  it('changes its content id when the public runtime config changes (so rollback restores config too)', () => {
    const fingerprint = (config: typeof committedConfig.staging) =>
      JSON.stringify(runtimeConfig({ config, release: '' }));
    const changed = { ...committedConfig.staging, features: { ...committedConfig.staging.features, analytics: true } };
    expect(contentReleaseId(BUILD, fingerprint(changed))).not.toBe(
      contentReleaseId(BUILD, fingerprint(committedConfig.staging)),
    );
  });

  it("writes the prober's build marker as the first element of <head>, replacing one the build carries", () => {
    const marked = addBuildMarker('<!doctype html><html><head><meta charset="UTF-8"></head></html>', 'c-1a2b');
    expect(marked).toMatch(/<head>\n\s*<meta name="miko-build" content="c-1a2b">/);
    const remarked = addBuildMarker(marked, 'c-3c4d');
    expect(remarked.match(/miko-build/g)).toHaveLength(1);
    expect(remarked).toContain('content="c-3c4d"');
    expect(addBuildMarker('<p>no head</p>', 'r"><script>')).toBe(
      '<meta name="miko-build" content="rscript">\n<p>no head</p>',
    );
  });

  it('adds Subresource Integrity to same-origin scripts and stylesheets only', () => {
    const files: Record<string, Buffer> = {
      'assets/app.js': Buffer.from('console.log(1)'),
      'assets/app.css': Buffer.from('body{}'),
    };
    const html =
      '<link rel="icon" href="/favicon.svg"><script type="module" crossorigin src="/assets/app.js"></script>' +
      '<link rel="stylesheet" crossorigin href="/assets/app.css"><script src="https://cdn.example.com/x.js"></script>';
    const out = addSubresourceIntegrity(html, (p) => files[p]);
    const sri = (content: Buffer) => `sha384-${createHash('sha384').update(content).digest('base64')}`;
    expect(out).toContain(`src="/assets/app.js" integrity="${sri(files['assets/app.js'])}"></script>`);
    expect(out).toContain(`href="/assets/app.css" integrity="${sri(files['assets/app.css'])}">`);
    expect(out).toContain('<link rel="icon" href="/favicon.svg">');
    expect(out).toContain('<script src="https://cdn.example.com/x.js"></script>');
  });

  it("writes the environment's config.json with what the sample app reads", () => {
    const publicConfig = runtimeConfig({ config: committedConfig.production, release: 'r1' });
    expect(publicConfig).toMatchObject({
      environment: 'production',
      release: 'r1',
      appName: 'MiKO Plastic Surgery',
      contactEmail: 'office@miko.example.com',
      features: { researchAgent: true, smsReminders: false, analytics: true },
      supabaseUrl: 'https://productionprojectref.supabase.co',
    });
    expect(() => assertPublic(publicConfig)).not.toThrow();
  });

  it.each([
    ['supabaseServiceRoleKey', 'anything', /supabaseServiceRoleKey: its name/],
    [
      'supabaseAnonKey',
      'sb_' + 'secret_abcdefghijklmnop' /* built at run time: no credential-shaped literal in the repo */,
      /supabaseAnonKey: its value looks like a Supabase secret API key/,
    ],
    ['supabaseAnonKey', serviceRoleJwt, /service-role JWT/],
    [
      'signingKey',
      `-----BEGIN ${'PRIVATE'} KEY-----\nMIIE\n-----END ${'PRIVATE'} KEY-----`,
      /signingKey: its value looks like a private key/,
    ],
    ['githubToken', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789', /githubToken: its value looks like a GitHub token/],
  ])('refuses a runtime config whose %s looks like a secret, naming it and never its value', (key, value, message) => {
    const config = {
      ...committedConfig.staging,
      publicRuntimeConfig: { ...committedConfig.staging.publicRuntimeConfig, [key]: value },
    };
    const publish = () => assertPublic(runtimeConfig({ config, release: 'r1' }));
    expect(publish).toThrow(message);
    expect(publish).toThrow(/Fix: keep it in Secrets Manager/);
    try {
      publish();
    } catch (error) {
      expect((error as Error).message).not.toContain(value);
    }
  });

  it('writes version.json from the pipeline environment', () => {
    expect(versionInfo('r1', { GITHUB_SHA: 'abc123', MIKO_BUILT_AT: '2026-11-22T02:00:00Z' })).toEqual({
      release: 'r1',
      commit: 'abc123',
      builtAt: '2026-11-22T02:00:00Z',
    });
    expect(versionInfo('r1', {})).toEqual({ release: 'r1', commit: 'unknown', builtAt: 'unknown' });
  });
});
