/**
 * What client telemetry costs per million events, from the synthesized collector's memory and the price table:
 * each event is one CloudFront request through the WAF, one Lambda@Edge hash, one collector call and one log line;
 * an unremembered error kind adds a conditional write (a new kind, an SNS publish, a few a minute at most).
 */
import { PRICES } from './prices';
import { LambdaFunctionProperties, propertiesOf, Resources } from '../../tools/analysis/template';

/** Assumptions, measured where they can be (npm run bench: handler p50 ≤ 0.1 ms; Lambda bills whole ms). */
export const TELEMETRY_ASSUMPTIONS = {
  collectorBilledMs: 3,
  edgeBilledMs: 1,
  edgeMemoryMb: 128,
  /** A stored event line with its EMF block. */
  bytesPerLine: 900,
} as const;

export interface PerMillionLine {
  readonly item: string;
  readonly usd: number;
}

export function telemetryCostPerMillion(resources: Resources): PerMillionLine[] {
  const collector = Object.values(resources).find(
    (r) => r.Type === 'AWS::Lambda::Function' && /_telemetry/.test(String(r.Properties?.Description)),
  );
  if (!collector) throw new Error('no telemetry collector Lambda in the templates');
  const memoryGb = (propertiesOf<LambdaFunctionProperties>(collector)?.MemorySize ?? 128) / 1024;
  const a = TELEMETRY_ASSUMPTIONS;
  const million = 1_000_000;
  return [
    { item: 'CloudFront HTTPS requests', usd: million * PRICES.cloudFrontHttpsRequest },
    { item: 'WAF requests', usd: million * PRICES.wafRequest },
    {
      item: `Lambda@Edge payload hash (${a.edgeMemoryMb} MB, ${a.edgeBilledMs} ms)`,
      usd:
        million *
        (PRICES.lambdaEdgeRequest + (a.edgeMemoryMb / 1024) * (a.edgeBilledMs / 1000) * PRICES.lambdaEdgeGbSecond),
    },
    {
      item: `Collector Lambda (${memoryGb * 1024} MB arm64, ${a.collectorBilledMs} ms billed)`,
      usd: million * (PRICES.lambdaRequest + memoryGb * (a.collectorBilledMs / 1000) * PRICES.lambdaArmGbSecond),
    },
    {
      item: `CloudWatch Logs ingestion (~${a.bytesPerLine} B a line; EMF metrics come from it)`,
      usd: ((million * a.bytesPerLine) / 1e9) * PRICES.logsIngestionPerGb,
    },
  ];
}

/** Added for errors only: one conditional write each (an upper bound; known kinds are remembered per instance). */
export function errorStoreCostPerMillion(): number {
  return 1_000_000 * PRICES.dynamoDbWriteRequestUnit;
}
