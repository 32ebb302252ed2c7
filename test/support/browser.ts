/** Debian's Chromium for the browser tests: the same launcher check-app uses (scripts/lib/chromium.ts). */
export { CHROMIUM, launchChromium } from '../../scripts/lib/chromium';
