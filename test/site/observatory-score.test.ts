/** The scorer against the Observatory's published rules, on headers good and bad. */
import { scoreObservatory } from '../../lib/site/observatory-score';

const strong = {
  'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self' https://api.example.com; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; upgrade-insecure-requests",
  'Strict-Transport-Security': 'max-age=63072000; includeSubDomains; preload',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};
const htmlWithSri = '<script type="module" src="/assets/app.js" integrity="sha384-abc"></script>';
const htmlWithoutSri = '<script type="module" src="/assets/app.js"></script>';
const modifier = (score: ReturnType<typeof scoreObservatory>, test: string) => score.modifiers.find((m) => m.test === test)!;

describe('the Observatory scorer', () => {
  it('gives the strong header set 130 (A+) on headers alone: CSP +10, XFO via CSP +5, Referrer +5, CORP +10', () => {
    const score = scoreObservatory(strong, { html: htmlWithoutSri });
    expect(score).toMatchObject({ score: 130, grade: 'A+' });
  });

  it('adds SRI (+5) and HSTS preloading (+5, only once the host is on the preload list) to reach 140', () => {
    expect(scoreObservatory(strong, { html: htmlWithSri }).score).toBe(135);
    expect(scoreObservatory(strong, { html: htmlWithSri, hstsPreloaded: true }).score).toBe(140);
  });

  it('penalizes unsafe-inline scripts, and withholds every bonus below 90', () => {
    const score = scoreObservatory({ ...strong, 'Content-Security-Policy': "default-src 'self'; script-src 'self' 'unsafe-inline'; object-src 'none'" }, { html: htmlWithSri });
    expect(modifier(score, 'content-security-policy')).toMatchObject({ result: 'csp-implemented-with-unsafe-inline', modifier: -20 });
    expect(score.score).toBe(80);
    expect(score.grade).toBe('B+');
  });

  it('treats a report-only policy as no policy', () => {
    const { 'Content-Security-Policy': policy, ...rest } = strong;
    const score = scoreObservatory({ ...rest, 'Content-Security-Policy-Report-Only': policy });
    expect(modifier(score, 'content-security-policy').modifier).toBe(-25);
    expect(modifier(score, 'x-frame-options').result).toBe('x-frame-options-sameorigin-or-deny');
  });

  it.each([
    [{ 'Strict-Transport-Security': 'max-age=86400' }, 'strict-transport-security', -10],
    [{ 'Strict-Transport-Security': undefined }, 'strict-transport-security', -20],
    [{ 'X-Content-Type-Options': undefined }, 'x-content-type-options', -5],
    [{ 'Referrer-Policy': 'unsafe-url' }, 'referrer-policy', -5],
    [{ 'Cross-Origin-Resource-Policy': 'everyone' }, 'cross-origin-resource-policy', -5],
    [{ 'Content-Security-Policy': "default-src 'none'; script-src 'self' 'unsafe-eval'; object-src 'none'" }, 'content-security-policy', -10],
    [{ 'Content-Security-Policy': "default-src 'none'; script-src 'self'; img-src http://cdn.example.com" }, 'content-security-policy', -20],
  ])('scores %j on %s as %d', (change, test, expected) => {
    const headers = Object.fromEntries(Object.entries({ ...strong, ...change }).filter(([, v]) => v !== undefined)) as Record<string, string>;
    expect(modifier(scoreObservatory(headers), test).modifier).toBe(expected);
  });

  it('penalizes external scripts without SRI and scripts over http', () => {
    expect(modifier(scoreObservatory(strong, { html: '<script src="https://cdn.example.com/x.js"></script>' }), 'subresource-integrity').modifier).toBe(-5);
    expect(modifier(scoreObservatory(strong, { html: '<script src="http://cdn.example.com/x.js"></script>' }), 'subresource-integrity').modifier).toBe(-50);
  });

  it('reads header names case-insensitively', () => {
    const lower = Object.fromEntries(Object.entries(strong).map(([k, v]) => [k.toLowerCase(), v]));
    expect(scoreObservatory(lower).score).toBe(130);
  });
});
