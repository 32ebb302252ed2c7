/**
 * Where the CSP's violation reports go: the first-party collector on the site's own origin (lib/telemetry).
 * Both mechanisms, because browsers differ: `report-uri` is sent at once by every browser (and deprecated),
 * `report-to` batches through the Reporting API (Chromium) with a delay. Relative URLs: the reports stay on the
 * origin the page came from, under CloudFront and the WAF like the page.
 */
import { CSP_REPORT_GROUP, TELEMETRY_ENDPOINTS } from '../telemetry/paths';

/** Appended to the policy: `report-uri /_telemetry/csp; report-to csp-endpoint`. */
export function cspReportingDirectives(): string {
  return `report-uri ${TELEMETRY_ENDPOINTS.csp}; report-to ${CSP_REPORT_GROUP}`;
}

/** The `Reporting-Endpoints` header that defines the group `report-to` names. */
export function reportingEndpointsHeader(): string {
  return `${CSP_REPORT_GROUP}="${TELEMETRY_ENDPOINTS.reports}"`;
}
