/** `npm run verify -- --score` against the preview of the synthesized production site: the Observatory's real grade. */
import type { Server } from 'node:http';
import { checkObservatoryScore } from '../../scripts/verify/observatory-check';
import { siteModel, startPreview } from '../support/preview';
import { startLocalServer } from '../../tools/stand-ins/aws-endpoints';

describe('verify --score', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => ({ server, url } = await startPreview(siteModel('production'))));
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it("grades the served headers and the fixture app's index.html A+ with the Observatory, naming what loses points", async () => {
    const result = await checkObservatoryScore(url, 5_000);
    expect(result).toMatchObject({ ok: true, name: 'observatory score' });
    // The fixture app loads Google Identity from Google (no SRI possible): 125, everything else full marks.
    expect(result.detail).toBe(
      '125 (A+), 9/10 tests passed; losing points: subresource-integrity -5 (sri-not-implemented-but-external-scripts-loaded-securely)',
    );
  });

  it('fails a site without security headers and names the tests that lose points', async () => {
    const bare = await startLocalServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><p>hi</p>');
    });
    try {
      const result = await checkObservatoryScore(bare.url, 5_000);
      expect(result.ok).toBe(false);
      expect(result.detail).toMatch(/content-security-policy -25 \(csp-not-implemented\)/);
      expect(result.detail).toMatch(/expected at least 100/);
    } finally {
      await bare.close();
    }
  });
});
