/**
 * The marker the deploy writes into every released HTML page (lib/site/release-content.ts) and the prober looks
 * for (lambda/prober/probes.ts). The SPA rewrite answers 200 for any path, so "200 and this marker" is what proves
 * the live release's HTML is served. The deploy owns it: no app build has to carry it.
 */
export const BUILD_MARKER_NAME = 'miko-build';

/** What the prober searches the HTML for. */
export const BUILD_MARKER = `<meta name="${BUILD_MARKER_NAME}"`;

/** The tag the deploy writes, naming the release. */
export function buildMarkerTag(release: string): string {
  return `${BUILD_MARKER} content="${release.replace(/[^A-Za-z0-9._-]/g, '')}">`;
}
