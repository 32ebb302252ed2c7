/**
 * The serving canary judged in Chromium: it sends the prober's bucket cookie (CANARY_PROBE_HEADERS) and the
 * document must name the canary in `x-miko-release`. A page error publishes MiKO/Release CanaryCheckFailed = 1,
 * whose alarm aborts the canary; verify waits for weight 0. Only the CI deploy role may publish there, so nothing
 * a patient's browser sends can abort a canary.
 */
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CANARY_PROBE_HEADERS } from '../../lambda/prober/probes';
import { readReleaseState } from '../../lambda/shared/release-store';
import type { EnvironmentName } from '../../lib/config';
import {
  CANARY_CHECK_DIMENSION,
  CANARY_CHECK_METRIC,
  CANARY_CHECK_NAMESPACE,
} from '../../lib/monitoring/canary-check-metric';
import type { DetectionRow } from '../../tools/analysis/time-to-detect';
import {
  ABORT_FUNCTION_S,
  ALARM_LAMBDA_ACTION_S,
  KEY_VALUE_STORE_PROPAGATION_S,
  OWN_METRIC_PUBLICATION_S,
} from '../../tools/analysis/time-to-detect';
import { alarmsOf, Template } from '../../tools/analysis/template';
import { CHROMIUM_LAUNCH_S, loadPage, PAGE_LOAD_TIMEOUT_MS, PageLoad } from '../lib/page-errors';
import { ReleaseClients, siteOutputs } from '../lib/release-aws';
import { Clock, realClock } from './alarm-check';
import { CheckResult, couldNotCheck, fail, pass } from './check';

const NAME = 'canary in Chromium';
/** The response header naming the release a request was served (lib/site/routing/viewer-response.js). */
const RELEASE_HEADER = 'x-miko-release';
/** After the verdict, how long verify watches for the abort: modeled at about 20 s (npm run ttd), so 90 s is ample. */
export const ABORT_WAIT_S = 90;
const ABORT_POLL_MS = 5_000;
/** Site outputs and the release store, read before Chromium starts (about 1 s). */
const FIND_CANARY_S = 1;

export interface CanaryCheckOptions {
  readonly env: EnvironmentName;
  readonly url: string;
  /** The release the canary must be (the deploy's); undefined accepts whichever canary serves. */
  readonly release?: string;
  readonly clients: ReleaseClients;
  readonly cloudWatch: CloudWatchClient;
  readonly clock?: Clock;
}

/** The bucket cookie that puts a browser on any serving canary (the prober's). */
function canaryCookie(): Record<string, string> {
  const [name, value] = CANARY_PROBE_HEADERS.cookie.split('=');
  return { [name]: value };
}

export async function checkCanary(options: CanaryCheckOptions, print: (line: string) => void): Promise<CheckResult[]> {
  let canary;
  let kvsArn;
  try {
    ({ kvsArn } = await siteOutputs(options.clients.cloudFormation, options.env));
    canary = (await readReleaseState(options.clients.kvs, kvsArn)).state.canary;
  } catch (error) {
    return [couldNotCheck(NAME, `cannot read the release store: ${(error as Error).message}`)];
  }
  if (!canary || canary.weight === 0) {
    print(
      `NOTE  no canary serves in ${options.env}${canary ? ` (${canary.release} is at weight 0)` : ''}: nothing to check`,
    );
    return [];
  }
  if (options.release && canary.release !== options.release)
    return [couldNotCheck(NAME, `the canary serving is ${canary.release}, not ${options.release}`)];

  let load: PageLoad;
  try {
    load = await loadPage(options.url, { cookies: canaryCookie() });
  } catch (error) {
    return [couldNotCheck(NAME, `cannot run Chromium: ${(error as Error).message}`)];
  }
  // Only a document the canary served is a verdict on it (a site that does not answer is the prober's to judge).
  const served = load.documentHeaders?.[RELEASE_HEADER];
  if (served !== canary.release)
    return [
      couldNotCheck(
        NAME,
        `the browser was served ${served ?? 'no release header'}, not the canary ${canary.release}${load.errors.length ? ` (${load.errors[0].message})` : ''}`,
      ),
    ];
  if (load.errors.length === 0)
    return [pass(NAME, `loaded ${options.url} as the canary ${canary.release} (${canary.weight} %): no page error`)];

  const verdict = fail(
    NAME,
    `${load.errors.length} page error(s) loading the canary ${canary.release}: ${load.errors.map((e) => `${e.kind}: ${e.message}`).join('; ')}`,
  );
  try {
    await publishVerdict(options.cloudWatch, options.env);
  } catch (error) {
    print(
      `NOTE  NOT PUBLISHED: ${CANARY_CHECK_NAMESPACE} ${CANARY_CHECK_METRIC}: ${(error as Error).message}; abort it by hand (npm run release -- --env ${options.env} --abort)`,
    );
    return [verdict];
  }
  print(
    `NOTE  published ${CANARY_CHECK_NAMESPACE} ${CANARY_CHECK_METRIC} = 1 (${CANARY_CHECK_DIMENSION}=${options.env}); waiting up to ${ABORT_WAIT_S} s for the abort`,
  );
  print(await awaitAbort(options, kvsArn, canary.release));
  return [verdict];
}

/** The datum the canary alarm reads: exactly its dimensions, high resolution so a 10 s period sees it. */
async function publishVerdict(cloudWatch: CloudWatchClient, env: string): Promise<void> {
  await cloudWatch.send(
    new PutMetricDataCommand({
      Namespace: CANARY_CHECK_NAMESPACE,
      MetricData: [
        {
          MetricName: CANARY_CHECK_METRIC,
          Dimensions: [{ Name: CANARY_CHECK_DIMENSION, Value: env }],
          Value: 1,
          Unit: 'Count',
          StorageResolution: 1,
          Timestamp: new Date(),
        },
      ],
    }),
  );
}

/** Re-reads the store until the canary serves no one, or the wait ends; says which, as a NOTE line. */
async function awaitAbort(options: CanaryCheckOptions, kvsArn: string, release: string): Promise<string> {
  const clock = options.clock ?? realClock;
  const started = clock.now();
  for (;;) {
    try {
      const { canary } = (await readReleaseState(options.clients.kvs, kvsArn)).state;
      if (!canary || canary.release !== release || canary.weight === 0)
        return `NOTE  canary ${release} serves no one now (${((clock.now() - started) / 1000).toFixed(0)} s after the verdict)${canary?.abortedBecause ? `: ${canary.abortedBecause}` : ''}`;
    } catch {
      // A read that fails is retried until the wait ends; the verdict stands either way.
    }
    if (clock.now() - started >= ABORT_WAIT_S * 1000)
      return `NOTE  canary ${release} still serves ${ABORT_WAIT_S} s after the verdict: the alarm did not abort it. Fix: npm run release -- --env ${options.env} --abort --reason "…" (the deploy workflow does this)`;
    await clock.sleep(ABORT_POLL_MS);
  }
}

/**
 * "Canary bad → weight 0" through verify's Chromium, from `cdk deploy` returning with the canary serving: the page
 * throws by `load`, the verdict is published, the alarm judges its period, the abort reaches the edge.
 */
export function canaryCheckAbortTime(template: Template): DetectionRow[] {
  return alarmsOf(template)
    .filter((alarm) => alarm.Namespace === CANARY_CHECK_NAMESPACE && alarm.MetricName === CANARY_CHECK_METRIC)
    .map((alarm) => {
      const loadS = PAGE_LOAD_TIMEOUT_MS / 1000;
      const evaluatedS = alarm.DatapointsToAlarm * alarm.Period;
      const seconds =
        FIND_CANARY_S +
        CHROMIUM_LAUNCH_S +
        loadS +
        OWN_METRIC_PUBLICATION_S +
        evaluatedS +
        ALARM_LAMBDA_ACTION_S +
        ABORT_FUNCTION_S +
        KEY_VALUE_STORE_PROPAGATION_S;
      return {
        alarm: `canary throws on load → weight 0 (verify --canary → ${alarm.AlarmName})`,
        seconds,
        how: `find canary ${FIND_CANARY_S} s + Chromium start ${CHROMIUM_LAUNCH_S} s + load ≤${loadS} s (stops at the first error) + publish ${OWN_METRIC_PUBLICATION_S} s + evaluated ≤${evaluatedS} s later (${alarm.DatapointsToAlarm}×${alarm.Period} s) + alarm action ${ALARM_LAMBDA_ACTION_S} s + abort ${ABORT_FUNCTION_S} s + store propagation ${KEY_VALUE_STORE_PROPAGATION_S} s`,
      };
    });
}
