/**
 * What release control adds per million page requests and per change, priced from the synthesized functions'
 * associations (how many functions a bucket request runs) and the store reads their code makes. Its fixed cost
 * (the canary alarms, the prober's canary metrics, the abort function idle) is in the environment's lines above.
 */
import { PRICES } from './prices';
import { DistributionProperties, propertiesOf, Resources } from '../../tools/analysis/template';

export interface ReleaseControlLine {
  readonly item: string;
  readonly usd: number;
}

/** Store reads per bucket request: live and canary by each function; /flags.json adds one (the flags). */
export const STORE_READS_PER_FUNCTION = 2;

/** Function invocations of one request to the site's default behaviour (viewer-request and viewer-response). */
function functionsPerPageRequest(resources: Resources): number {
  const distribution = Object.values(resources).find((r) => r.Type === 'AWS::CloudFront::Distribution');
  const associations =
    propertiesOf<DistributionProperties>(distribution)?.DistributionConfig?.DefaultCacheBehavior
      ?.FunctionAssociations ?? [];
  return associations.length;
}

export function releaseControlCostPerMillion(siteResources: Resources): ReleaseControlLine[] {
  const functions = functionsPerPageRequest(siteResources);
  const million = 1_000_000;
  return [
    {
      item: `CloudFront Functions: ${functions} per request (routing, release header + bucket cookie)`,
      usd: functions * million * PRICES.cloudFrontFunctionInvocation,
    },
    {
      item: `KeyValueStore reads: ${functions * STORE_READS_PER_FUNCTION} per request (live and canary, each function)`,
      usd: functions * STORE_READS_PER_FUNCTION * million * PRICES.keyValueStoreRead,
    },
  ];
}

/** One recorded change: the list and read of the newest record, the put, and a year of its storage. */
export function auditRecordCost(): number {
  const recordGb = 1_000 / 1e9;
  return (
    PRICES.s3ListPer1000 / 1000 +
    PRICES.s3GetPer1000 / 1000 +
    PRICES.s3PutPer1000 / 1000 +
    12 * recordGb * PRICES.s3StandardGbMonth
  );
}
