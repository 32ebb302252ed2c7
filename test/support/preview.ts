/** The preview server over the tests' synthesized assembly (support/assembly.ts), with the real health handler. */
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { EnvironmentConfig, EnvironmentName, loadAppConfig } from '../../lib/config';
import { siteSecurityHeaderSet } from '../../lib/site/security-header-values';
import { healthHandlerWith, TelemetrySinks, telemetryHandlerWith } from '../../scripts/preview/handlers';
import { startPreviewServer } from '../../scripts/preview/server';
import { loadSiteModel, SiteModel } from '../../scripts/preview/site-model';
import { assemblyDir } from './assembly';

const siteModels = new Map<EnvironmentName, SiteModel>();

/** Read once per test file: a model is read-only data, and tests derive their variants by copying it. */
export function siteModel(envName: EnvironmentName): SiteModel {
  if (!siteModels.has(envName)) siteModels.set(envName, loadSiteModel(new CloudAssembly(assemblyDir()), envName));
  return siteModels.get(envName)!;
}

const isCspHeader = (name: string) => /^content-security-policy/i.test(name);

/** The policy header (`Content-Security-Policy` or its report-only form) and value of a header set. */
function cspOf(headers: Readonly<Record<string, string>>): [string, string] | undefined {
  return Object.entries(headers).find(([name]) => isCspHeader(name));
}

/** `model` with the policy header of every behaviour that sends one rewritten by `rewrite` (its name and value). */
export function withPolicyHeader(
  model: SiteModel,
  rewrite: (name: string, value: string) => [string, string],
): SiteModel {
  const behaviours = model.behaviours.map((b) => {
    const values = Object.fromEntries(
      Object.entries(b.headers.values).map(([name, value]) =>
        isCspHeader(name) ? rewrite(name, value) : [name, value],
      ),
    );
    return { ...b, headers: { ...b.headers, values } };
  });
  return { ...model, behaviours };
}

/**
 * The synthesized site of `envName` with only `csp` (or its mode) changed, by swapping each behaviour's policy header
 * (not a synth per variant); it first checks the committed config gives the synthesized policy, so it cannot drift.
 */
export function siteModelWithCspOf(envName: EnvironmentName, config: EnvironmentConfig): SiteModel {
  const model = siteModel(envName);
  const synthesized = cspOf(model.behaviours.find((b) => b.pathPattern === '*')!.headers.values);
  const committed = cspOf(siteSecurityHeaderSet(loadAppConfig()[envName]).headers);
  if (JSON.stringify(committed) !== JSON.stringify(synthesized)) {
    throw new Error(
      `the site stack no longer sends siteSecurityHeaderSet's policy (synthesized ${JSON.stringify(synthesized)}, computed ${JSON.stringify(committed)}); a CSP variant cannot be derived from the cached synth`,
    );
  }
  const policy = cspOf(siteSecurityHeaderSet(config).headers)!;
  return withPolicyHeader(model, () => policy);
}

/**
 * With `telemetry`, `/_telemetry/*` runs the real collector against the given stand-ins; with `keyValueStore`, the
 * functions read that live map (a canary, a flag flip) instead of the deploy's pointer.
 */
export function startPreview(
  model: SiteModel,
  telemetry?: TelemetrySinks,
  keyValueStore?: ReadonlyMap<string, string>,
) {
  return startPreviewServer(model, {
    keyValueStore,
    healthHandler: healthHandlerWith(model.healthEnvironment),
    ...(telemetry && { telemetryHandler: telemetryHandlerWith(model, telemetry) }),
  });
}
