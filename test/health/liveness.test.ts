import { handler, releaseOf } from '../../lambda/health/handler';

describe('/health liveness', () => {
  it('answers 200 JSON with the live release, never cached', async () => {
    const result = await handler({ rawPath: '/health', headers: { 'x-miko-release': '2026-11-22T0300-abc1234' } });
    expect(result.statusCode).toBe(200);
    expect(result.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(result.body)).toEqual({ status: 'healthy', release: '2026-11-22T0300-abc1234', checks: {} });
  });

  it('reports an unknown release rather than echoing a forged header', () => {
    expect(releaseOf({ rawPath: '/health', headers: { 'x-miko-release': '<script>alert(1)</script>' } })).toBe(
      'unknown',
    );
    expect(releaseOf({ rawPath: '/health' })).toBe('unknown');
  });

  it('answers 404 for paths it does not serve', async () => {
    expect((await handler({ rawPath: '/health/nope' })).statusCode).toBe(404);
  });
});
