/** Config `appBuild.publicGoogleApiKeys`: a key is declared by hash, with its referrer restriction. */
import { problemsAfter } from '../support/config-problems';

describe('config appBuild', () => {
  it('declares a public Google key by its SHA-256 with at least one https referrer', () => {
    expect(
      problemsAfter((c) => {
        c.production.appBuild.publicGoogleApiKeys = [
          {
            sha256: 'a'.repeat(64),
            referrers: ['https://app.miko.example.com/*'],
            purpose: 'Maps on the contact page',
          },
        ];
      }),
    ).toEqual([]);
  });

  it('refuses an unrestricted key, a key written out instead of hashed, and an http referrer', () => {
    const messages = problemsAfter((c) => {
      c.production.appBuild.publicGoogleApiKeys = [
        { sha256: 'a'.repeat(64), referrers: [], purpose: 'maps' },
        { sha256: 'AIza' + 'x'.repeat(35), referrers: ['http://app.miko.example.com/*'], purpose: 'maps' },
      ];
    }).map((p) => `${p.path}: ${p.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /publicGoogleApiKeys\.0\.referrers: is empty: an unrestricted key is usable by anyone.*Fix:/,
        ),
        expect.stringMatching(
          /publicGoogleApiKeys\.1\.sha256: is not a hex SHA-256\. Fix: printf %s "\$KEY" \| sha256sum/,
        ),
        expect.stringMatching(/publicGoogleApiKeys\.1\.referrers\.0: is not a referrer restriction/),
      ]),
    );
    expect(messages.join('\n')).not.toContain('AIza');
  });
});
