/** check-app's advice for each kind of violation: the config change that allows it, or why it must not be allowed. */
import { describeFinding, fixFor } from '../../scripts/check-app/findings';

const violation = (directive: string, blockedUri: string, extra: object = {}) => ({
  directive,
  blockedUri,
  disposition: 'enforce' as const,
  ...extra,
});

describe('check-app findings', () => {
  it.each([
    [
      violation('font-src', 'https://fonts.gstatic.com/s/inter.woff2'),
      /Add "https:\/\/fonts\.gstatic\.com" to csp\['font-src'\]/,
    ],
    [
      violation('script-src-elem', 'https://accounts.google.com/gsi/client'),
      /Add "https:\/\/accounts\.google\.com" to csp\['script-src'\]/,
    ],
    [violation('img-src', 'data'), /Add "data:" to csp\['img-src'\]/],
    [violation('worker-src', 'blob'), /Add "blob:" to csp\['worker-src'\]/],
    [violation('script-src-elem', 'blob'), /Not allowed: blob: in script-src/],
    [violation('connect-src', 'http://api.example.com/x'), /Not allowed: .*clear text/],
    [violation('script-src', 'eval'), /Not allowed: 'unsafe-eval'/],
    [violation('script-src-elem', 'inline'), /Not allowed: 'unsafe-inline' in script-src/],
    [
      violation('style-src-elem', 'inline', { hash: "'sha256-abc='" }),
      /add "'sha256-abc='" to csp\['style-src-elem'\].*last resort is "'unsafe-inline'"/,
    ],
    [violation('style-src-attr', 'inline'), /Move the style attribute into a class/],
    [violation('object-src', 'https://plugins.example.com/x.swf'), /object-src is fixed by the platform/],
  ])('advises on %j', (v, advice) => {
    expect(fixFor(v)).toMatch(advice);
  });

  it('describes each kind of finding', () => {
    expect(
      describeFinding({ kind: 'csp', path: '/', violation: violation('img-src', 'data', { disposition: 'report' }) }),
    ).toMatch(/^CSP img-src would block data\./);
    expect(describeFinding({ kind: 'request', path: '/', url: '/assets/x-1a2b3c4d.js', failure: 'HTTP 404' })).toMatch(
      /same-origin request \/assets\/x-1a2b3c4d\.js failed: HTTP 404/,
    );
    expect(describeFinding({ kind: 'console', path: '/', text: 'boom' })).toBe('console error: boom');
  });
});
