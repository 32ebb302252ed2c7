/**
 * The calls every PlatformFunction makes whatever its job: Lambda assumes its role, the function writes its own
 * log group (through CloudWatch Logs, which encrypts with the platform key) and sends X-Ray traces. A construct
 * that creates a PlatformFunction (or an AuditedFunction) spreads `platformFunctionPaths(...)` into its own catalogue.
 */
import { logStream, PathCatalogue, resource, role, RuntimePath, service } from './runtime-paths';

export interface FunctionPathOptions {
  /** The construct exists only with some config. */
  readonly optional?: boolean;
  /** Whether the function sends X-Ray traces (PlatformFunction does; AuditedFunction does not). @default true */
  readonly tracing?: boolean;
}

/**
 * `<prefix>` names the function in path ids (`pager`); `constructId` is the readable id its role, log group and
 * function share: `TopicsPager` → `TopicsPagerRole`, `TopicsPagerLogs`. Fits AuditedFunction too.
 */
export function platformFunctionPaths(
  prefix: string,
  stack: string,
  constructId: string,
  { optional = false, tracing = true }: FunctionPathOptions = {},
): RuntimePath[] {
  const functionRole = role(stack, `${constructId}Role`);
  return [
    {
      id: `${prefix}-role-assumed-by-lambda`,
      what: `Lambda runs the ${prefix} function as its own role`,
      principal: service('lambda.amazonaws.com'),
      actions: ['sts:AssumeRole'],
      resource: resource(stack, `${constructId}Role`),
      optional,
    },
    {
      id: `${prefix}-writes-its-log`,
      what: `the ${prefix} function writes its own log group, and nothing else's`,
      principal: functionRole,
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resource: logStream(stack, `${constructId}Logs`),
      optional,
    },
    ...(tracing ? [tracePath(prefix, functionRole, optional)] : []),
  ];
}

function tracePath(prefix: string, functionRole: RuntimePath['principal'], optional: boolean): RuntimePath {
  return {
    id: `${prefix}-sends-traces`,
    what: `the ${prefix} function sends X-Ray traces (tracing: active)`,
    principal: functionRole,
    actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
    resource: '*',
    optional,
  };
}

export const catalogue: PathCatalogue = { paths: [] };
