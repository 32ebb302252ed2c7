/**
 * `appBuild`: what the app contract (lib/app-contract) needs to know about the build beyond the CSP. Today that is
 * the Google API keys that are public by design: a browser-side Maps key restricted to the site's referrers is
 * meant to ship in the bundle; any other `AIza…` string in a build file fails synth.
 */
import { z } from 'zod';

/** A key is declared by its SHA-256, so the key itself never has to be written into this repository. */
const publicGoogleApiKey = z.strictObject({
  /** Hex SHA-256 of the key: `printf %s "$KEY" | sha256sum`. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/, {
    error:
      'is not a hex SHA-256. Fix: printf %s "$KEY" | sha256sum (64 lower-case hex digits), so the key never lands in this repository.',
  }),
  /** The HTTP referrer restriction set on the key in Google Cloud; a key without one is usable by anyone who copies it. */
  referrers: z
    .array(
      z.string().regex(/^https:\/\/[^\s/]+\/\*?$/, {
        error:
          'is not a referrer restriction like "https://app.example.com/*". Fix: copy the key\'s website restriction from Google Cloud (APIs & Services → Credentials).',
      }),
    )
    .min(1, {
      error:
        "is empty: an unrestricted key is usable by anyone who copies it from the bundle. Fix: restrict the key to the site's referrers in Google Cloud and list them here.",
    }),
  /** What the key is for (shown in the contract's findings and reviews). */
  purpose: z
    .string()
    .min(1, { error: 'is empty. Fix: say what the key is for, e.g. "Maps JavaScript API on the contact page".' }),
});

export const appBuildSchema = z.strictObject({
  /** Google API keys allowed in the bundle. Empty: every Google API key in a build file fails synth. */
  publicGoogleApiKeys: z.array(publicGoogleApiKey),
});

export type AppBuildConfig = z.infer<typeof appBuildSchema>;
