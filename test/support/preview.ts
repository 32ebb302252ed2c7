/** The preview server over the assembly the test run synthesized once, with the real health handler. */
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import type { EnvironmentName } from '../../lib/config';
import { healthHandlerWith, TelemetrySinks, telemetryHandlerWith } from '../../scripts/preview';
import { startPreviewServer } from '../../scripts/preview/server';
import { loadSiteModel, SiteModel } from '../../scripts/preview/site-model';

export function siteModel(envName: EnvironmentName): SiteModel {
  const dir = process.env.MIKO_TEST_ASSEMBLY;
  if (!dir) throw new Error('MIKO_TEST_ASSEMBLY is not set: run tests through jest.');
  return loadSiteModel(new CloudAssembly(dir), envName);
}

/** With `telemetry`, `/_telemetry/*` runs the real collector against the given stand-ins. */
export function startPreview(model: SiteModel, telemetry?: TelemetrySinks) {
  return startPreviewServer(model, {
    healthHandler: healthHandlerWith(model.healthEnvironment),
    ...(telemetry && { telemetryHandler: telemetryHandlerWith(model.telemetryEnvironment, telemetry) }),
  });
}
