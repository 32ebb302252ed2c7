import { SecretCache } from '../../lambda/health/secret-cache';

describe('SecretCache', () => {
  const signal = new AbortController().signal;

  it('serves a value from memory until its TTL, then reads again', async () => {
    let clock = 0;
    let reads = 0;
    const cache = new SecretCache(
      async () => `v${++reads}`,
      1000,
      () => clock,
    );
    expect(await cache.read('s', signal)).toBe('v1');
    clock = 999;
    expect(await cache.read('s', signal)).toBe('v1');
    clock = 1000;
    expect(await cache.read('s', signal)).toBe('v2');
  });

  it('shares one read between concurrent callers and forgets a failed read', async () => {
    let reads = 0;
    const cache = new SecretCache(async () => {
      reads++;
      if (reads === 1) throw new Error('throttled');
      return 'ok';
    });
    await expect(Promise.all([cache.read('s', signal), cache.read('s', signal)])).rejects.toThrow('throttled');
    expect(reads).toBe(1);
    expect(await cache.read('s', signal)).toBe('ok');
  });
});
