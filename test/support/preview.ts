/** The preview server over the tests' synthesized assembly (support/assembly.ts), with the real health handler. */
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import type { EnvironmentName } from '../../lib/config';
import { healthHandlerWith, TelemetrySinks, telemetryHandlerWith } from '../../scripts/preview';
import { startPreviewServer } from '../../scripts/preview/server';
import { loadSiteModel, SiteModel } from '../../scripts/preview/site-model';
import { assemblyDir } from './assembly';

export function siteModel(envName: EnvironmentName): SiteModel {
  return loadSiteModel(new CloudAssembly(assemblyDir()), envName);
}

/** With `telemetry`, `/_telemetry/*` runs the real collector against the given stand-ins. */
export function startPreview(model: SiteModel, telemetry?: TelemetrySinks) {
  return startPreviewServer(model, {
    healthHandler: healthHandlerWith(model.healthEnvironment),
    ...(telemetry && { telemetryHandler: telemetryHandlerWith(model.telemetryEnvironment, telemetry) }),
  });
}
