/** Where the collector lives on the site's origin, for the distribution, the WAF, the CSP and the preview. */
import { ENDPOINTS, TELEMETRY_PREFIX } from '../../lambda/telemetry/intake';
import type { CspReporting } from '../site/content-security-policy';

export { ENDPOINTS as TELEMETRY_ENDPOINTS, TELEMETRY_PREFIX };

/** The distribution's behaviour for every collector endpoint. */
export const TELEMETRY_PATH_PATTERN = `${TELEMETRY_PREFIX}/*`;

/** The Reporting API group the CSP's `report-to` names and the `Reporting-Endpoints` header defines. */
export const CSP_REPORT_GROUP = 'csp-endpoint';

/**
 * `report-uri` and the `csp-endpoint` group both to `/_telemetry/csp` (told apart by Content-Type); the Reporting
 * API's `default` group (crash, deprecation and intervention reports) to `/_telemetry/reports`.
 */
export const TELEMETRY_CSP_REPORTING: CspReporting = {
  path: ENDPOINTS.csp,
  group: CSP_REPORT_GROUP,
  browserReportsPath: ENDPOINTS.reports,
};
