/** The guard rails of config `csp`: each dangerous source refused with why, each declared need accepted. */
import { problemsAfter } from '../support/config-problems';

const refusalsOf = (directive: string, sources: unknown) =>
  problemsAfter((c) => {
    c.production.csp = { [directive]: sources };
  }).map((p) => `${p.path}: ${p.message}`);

describe('config csp', () => {
  it('accepts the committed needs of the real app', () => {
    expect(problemsAfter(() => undefined)).toEqual([]);
  });

  it.each([
    ['script-src', "'unsafe-eval'", /'unsafe-eval' lets any string become running code/],
    ['style-src-elem', "'unsafe-eval'", /never allowed/],
    ['script-src', "'unsafe-inline'", /turns every HTML injection into cross-site scripting/],
    ['connect-src', "'unsafe-inline'", /'unsafe-inline' in connect-src/],
    ['script-src', 'data:', /data: in script-src lets text the page itself assembles .* run as code/],
    ['script-src', 'blob:', /blob: in script-src/],
    ['connect-src', 'data:', /data: in connect-src/],
    ['connect-src', 'blob:', /blob: in connect-src/],
    ['script-src', '*', /allows every host on the internet/],
    ['img-src', '*', /allows every host on the internet/],
    ['script-src', 'https://*.google.com', /allows every host/],
    ['script-src', 'https:', /bare scheme: it allows every host reachable over it/],
    ['connect-src', 'wss:', /bare scheme/],
    ['img-src', 'http://cdn.example.com', /clear text/],
    ['connect-src', 'ws://realtime.example.com', /clear text/],
    ['font-src', 'http:', /clear text/],
    ['script-src', "'nonce-abc'", /public constant/],
    ['script-src', "'strict-dynamic'", /needs per-response nonces/],
    ['script-src', "'sha256-abc='", /hashes are allowed only in style-src-elem/],
    ['img-src', "'unsafe-inline'", /allowed only in style-src-elem and style-src-attr/],
    ['font-src', 'blob:', /not allowed in font-src/],
    ['worker-src', 'data:', /only blob: is allowed here/],
    ['frame-src', 'https://accounts.google.com/gsi/', /not a bare origin.*Fix: write "https:\/\/accounts.google.com"/],
    ['script-src', 'accounts.google.com', /neither an origin nor a keyword/],
  ])('refuses %s %s, saying why', (directive, source, reason) => {
    const problems = refusalsOf(directive, [source]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      new RegExp(
        `^production\\.csp\\.${directive}\\.0: ${JSON.stringify(source).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is refused: `,
      ),
    );
    expect(problems[0]).toMatch(reason);
    expect(problems[0]).toMatch(/Fix:/);
  });

  it.each([
    ['default-src', /fallback of every directive/],
    ['object-src', /plugins/],
    ['style-src', /style-src-elem or style-src-attr/],
    ['script-src-attr', /inline event handlers/],
    ['report-uri', /platform's collector/],
    ['img-srcc', /not a directive this config can extend/],
  ])('refuses to extend %s', (directive, reason) => {
    const problems = refusalsOf(directive, ['https://example.com']);
    expect(problems).toEqual([expect.stringMatching(new RegExp(`^production\\.csp\\.${directive}: .*Fix:`))]);
    expect(problems[0]).toMatch(reason);
  });

  it("refuses hashes and 'unsafe-inline' in one directive, because browsers ignore the latter next to a hash", () => {
    const problems = refusalsOf('style-src-elem', [
      "'sha256-StEaX+se6YS7pqjzrzMIA0KaX9zF/8zAhvQXZAe5epY='",
      "'unsafe-inline'",
    ]);
    expect(problems).toEqual([
      expect.stringMatching(
        /^production\.csp\.style-src-elem: combines 'unsafe-inline' with hashes: browsers ignore 'unsafe-inline' in a directive that holds a hash.*Fix:/,
      ),
    ]);
  });

  it.each([
    ['style-src-elem', ["'sha256-StEaX+se6YS7pqjzrzMIA0KaX9zF/8zAhvQXZAe5epY='", 'https://fonts.googleapis.com']],
    ['style-src-elem', ["'unsafe-inline'"]],
    ['style-src-attr', ["'unsafe-inline'"]],
    ['img-src', ['data:', 'blob:', 'https://maps.gstatic.com']],
    ['font-src', ['data:', 'https://fonts.gstatic.com']],
    ['worker-src', ['blob:']],
    ['script-src', ['https://accounts.google.com']],
    ['frame-src', ['https://accounts.google.com']],
    ['connect-src', ['https://api.example.com', 'wss://realtime.example.com']],
  ])('allows %s %j when declared', (directive, sources) => {
    expect(refusalsOf(directive, sources)).toEqual([]);
  });

  it('refuses a source listed twice', () => {
    expect(refusalsOf('img-src', ['data:', 'data:'])).toEqual([expect.stringMatching(/lists a source twice/)]);
  });
});
