/**
 * Monthly list prices in us-east-1 used by `npm run cost`, as published on AWS's pricing pages
 * (CloudWatch, Route 53, WAF, Secrets Manager, KMS, Lambda). Dated so a reader knows when to re-check them;
 * free tiers are ignored on purpose: the estimate is what an environment costs once the free tier is used up.
 */
export const PRICES_AS_OF = '2026-11-22';

/**
 * The permanent ("always free") allowances of each AWS account, which never expire (unlike 12-month free trials).
 * Each environment is its own account (config validation insists), so each gets them once.
 */
export const ALWAYS_FREE_PER_ACCOUNT = {
  customMetrics: 10,
  standardAlarmMetrics: 10,
  dashboards: 3,
  cloudWatchApiRequests: 1_000_000,
  lambdaRequests: 1_000_000,
  lambdaGbSeconds: 400_000,
} as const;

/** Average month: 365/12 days. */
export const SECONDS_PER_MONTH = (365 / 12) * 24 * 3600;

export const PRICES = {
  /** Per alarm metric per month: standard (period ≥ 60 s) and high resolution (10 or 30 s). */
  alarmStandardPerMetric: 0.1,
  alarmHighResolutionPerMetric: 0.3,
  compositeAlarm: 0.5,
  dashboard: 3.0,
  /** Custom metrics: first 10,000 metrics, per metric per month. */
  customMetric: 0.3,
  /** PutMetricData / other CloudWatch API requests, per 1,000. */
  cloudWatchApiPer1000: 0.01,
  /** Route 53 health checks, per month. Endpoints behind CloudFront are priced as non-AWS endpoints (conservative). */
  healthCheckNonAws: 0.75,
  healthCheckOptionNonAws: 2.0,
  wafWebAcl: 5.0,
  /** Per rule or rule-group reference in a web ACL, per month. */
  wafRule: 1.0,
  secret: 0.4,
  /** A customer-managed key; automatic rotation adds $1 for each of the first two rotations, so ≤ $3 per key. */
  kmsKey: 1.0,
  kmsRotatedKeyCap: 3.0,
  /** Lambda on arm64, per GB-second and per request. */
  lambdaArmGbSecond: 0.0000133334,
  lambdaRequest: 0.0000002,
  /** Traffic prices for the per-event estimate of client telemetry (scripts/cost/telemetry.ts). */
  cloudFrontHttpsRequest: 0.000001,
  wafRequest: 0.0000006,
  lambdaEdgeRequest: 0.0000006,
  lambdaEdgeGbSecond: 0.00005001,
  logsIngestionPerGb: 0.5,
  dynamoDbWriteRequestUnit: 0.000000625,
  snsPublish: 0.0000005,
  /** Fargate on ARM (Linux), per vCPU-hour and per GB-hour of memory. */
  fargateArmVcpuHour: 0.03238,
  fargateArmGbHour: 0.00356,
  /** A public IPv4 address, per hour (a task's while it runs, a NAT gateway's Elastic IP all month). */
  publicIpv4Hour: 0.005,
  natGatewayHour: 0.045,
  /** An interface VPC endpoint, per zone it sits in, per hour (data processed, $0.01/GB, extra). */
  vpcInterfaceEndpointAzHour: 0.01,
  /** S3 storage per GB-month: Standard (first 50 TB) and Glacier Instant Retrieval. */
  s3StandardGbMonth: 0.023,
  s3GlacierInstantRetrievalGbMonth: 0.004,
  /** S3 requests and Glacier Instant Retrieval's transition, retrieval and GET charges. */
  s3PutPer1000: 0.005,
  /** KMS API requests (a trail's GenerateDataKey per log file), per 10,000. */
  kmsRequestPer10000: 0.03,
  /** CloudTrail: the first copy of management events in an account is free; each further copy, per 100,000 events. */
  cloudTrailExtraCopyPer100000Events: 2.0,
  s3GlacierIrTransitionPer1000: 0.02,
  s3GlacierIrRetrievalGb: 0.03,
  s3GlacierIrGetPer1000: 0.01,
  ecrStorageGbMonth: 0.1,
  /** CloudFront Functions, per invocation ($0.10 per million) and KeyValueStore reads ($0.03 per million). */
  // Checked 2026-12-07 (search): $0.10/M functions, L@E $0.60/M + $0.00005001/GB-s; cur.vantage.sh/aws/amazoncloudfront, awsnegotiations.com/cloudfront-functions-pricing.html.
  cloudFrontFunctionInvocation: 0.0000001,
  keyValueStoreRead: 0.00000003,
  /** S3 Standard requests: LIST per 1,000 (PUT is above), GET per 1,000. */
  s3ListPer1000: 0.005,
  s3GetPer1000: 0.0004,
} as const;
