/**
 * What the MiKO patient SPA (React + Vite, Radix UI, sonner, @sentry/react with Replay, Google Fonts and sign-in)
 * needs beyond the base policy, found by running a real build in Chromium (test/browser/fixture-app.test.ts).
 * One opt-in per line; docs/readme/app-build.md prices each. `npm run check-app` says what a new build needs.
 */
import type { CspAdditions } from '../csp';

export const REAL_APP_CSP_NEEDS: CspAdditions = {
  // Google Identity Services: its client script, its button/One Tap iframe, its status calls and its stylesheet.
  'script-src': ['https://accounts.google.com'],
  'frame-src': ['https://accounts.google.com'],
  'connect-src': ['https://accounts.google.com'],
  // 'unsafe-inline': react-remove-scroll-bar (Radix Dialog/Select) injects a <style> with a per-device scrollbar
  // width no hash can match. style-src-attr and script-src stay strict: injected markup still cannot run code.
  'style-src-elem': ['https://fonts.googleapis.com', 'https://accounts.google.com', "'unsafe-inline'"],
  'font-src': ['https://fonts.gstatic.com'],
  // Vite inlines assets under 4 KiB (the logo) as data: URIs.
  'img-src': ['data:'],
  // Sentry Replay compresses recordings in a worker built from a blob: URL.
  'worker-src': ['blob:'],
};
