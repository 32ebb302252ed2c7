/**
 * The Logs Insights queries over the collector's event lines (lambda/telemetry/event-line.ts), saved as
 * QueryDefinitions and shared by the dashboard and `npm run csp-report`, so all ask the same question. A saved
 * query takes no parameter: overwrite `<fingerprint>` and `<release>` in the console.
 */
export const FINGERPRINT_PLACEHOLDER = '<fingerprint>';
export const RELEASE_PLACEHOLDER = '<release>';

export const TELEMETRY_QUERIES = {
  'errors-of-this-fingerprint': [
    'fields @timestamp, release, path, browser, source, novelty, message, stack',
    `filter event = "client-error" and fingerprint = "${FINGERPRINT_PLACEHOLDER}"`,
    'sort @timestamp desc',
    'limit 200',
  ].join('\n| '),
  'errors-of-this-release': [
    'fields @timestamp, fingerprint, message',
    `filter event = "client-error" and release = "${RELEASE_PLACEHOLDER}"`,
    'stats count(*) as errors, earliest(@timestamp) as firstSeen, latest(message) as example by fingerprint',
    'sort errors desc',
    'limit 100',
  ].join('\n| '),
  'what-the-csp-blocked': [
    'filter event = "csp-violation"',
    'stats count(*) as reports, latest(sample) as sample, latest(sourceFile) as sourceFile by disposition, directive, blockedUri, documentPath',
    'sort reports desc',
    'limit 500',
  ].join('\n| '),
} as const;

export type TelemetryQueryName = keyof typeof TELEMETRY_QUERIES;

/** Dashboard widgets (no placeholders: they show every release and fingerprint). */
export const TELEMETRY_WIDGET_QUERIES = {
  topFingerprints: [
    'filter event = "client-error"',
    'stats count(*) as errors, latest(message) as message, latest(release) as release by fingerprint',
    'sort errors desc',
    'limit 20',
  ].join('\n| '),
  errorsPerRelease: [
    'filter event = "client-error"',
    'stats count(*) as errors, sum(NewClientErrorKinds) as newKinds, count_distinct(fingerprint) as kinds by release',
    'sort errors desc',
    'limit 20',
  ].join('\n| '),
  vitalsPerRouteGroup: [
    'filter event = "web-vitals"',
    'stats pct(metrics.LCP, 75) as lcpP75, pct(metrics.INP, 75) as inpP75, pct(metrics.CLS, 75) as clsP75, pct(metrics.TTFB, 75) as ttfbP75, sum(PageViews) as pageViews by routeGroup',
    'sort pageViews desc',
  ].join('\n| '),
} as const;

export function queryDefinitionName(envName: string, name: TelemetryQueryName): string {
  return `miko-${envName}/${name}`;
}
