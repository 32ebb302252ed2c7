/**
 * The runtime-path catalogue's vocabulary: each construct that calls AWS lists those calls in `<construct>.paths.ts`.
 * `npm run permissions` resolves them against a synthesized assembly; an IAM engine must allow each `RuntimePath`
 * and deny each `ForbiddenPath`. Resources are stack + logical id without CDK's hash; literal ARNs
 * may use `{account}`, `{region}`, `{env}` (`production`), `{Stage}` (`Production`).
 */

/** A resource of the synthesized stacks: its `Arn` (or `Ref` where that is the ARN), plus an optional suffix. */
export interface ResourceRef {
  readonly stack: string;
  readonly id: string;
  /** The attribute that is its ARN, when not `Arn` (a topic's and a secret's is `Ref`). */
  readonly attribute?: string;
  /** Appended to the ARN: an object key (`/releases/x/index.html`), a log stream (`:log-stream:x`). */
  readonly suffix?: string;
}

/** Every resource of a CloudFormation type in the environment (for forbidden paths: "no secret", "no bucket"). */
export interface EveryResource {
  readonly every: string;
  readonly suffix?: string;
  /** Leave out resources whose ARN contains one of these (the principal's own secret: `/pager-integration-key-`). */
  readonly except?: readonly string[];
}

export type ArnSpec = ResourceRef | EveryResource | string;

export type PrincipalSpec =
  /** An IAM role of the stacks, or the CloudFormation execution role `cdk bootstrap` creates (`bootstrap`). */
  | { readonly role: ResourceRef | 'cloudformation-execution' }
  /** A service acting for the account: SNS delivering, CloudWatch alarming, Scheduler starting a task. */
  | { readonly service: string; readonly sourceArn?: ArnSpec; readonly sourceAccount?: boolean }
  /** Anyone else, for forbidden paths: another account's principal. */
  | { readonly outsider: string }
  /** An identity whose only policy is this customer-managed one of the stacks (a person's role, the app's back end). */
  | { readonly person: ResourceRef }
  /** For forbidden paths: every role of the environment but these (`<stack>/<readable id>`, `bootstrap/…`). */
  | { readonly everyRole: true; readonly except?: readonly string[] };

interface PathBase {
  /** Unique, kebab-case: named in the matrix and in every failure. */
  readonly id: string;
  /** One sentence: what the running system does (or must never do). */
  readonly what: string;
  readonly principal: PrincipalSpec;
  readonly actions: readonly string[];
  readonly resource: ArnSpec;
  /** Context keys the calling service adds beyond the ones the model derives (source ARN, encryption context). */
  readonly context?: Readonly<Record<string, string | ArnSpec>>;
  /** The construct exists only with some config (staging pages nobody): absent there, the path is shown, not run. */
  readonly optional?: boolean;
}

export interface RuntimePath extends PathBase {
  /**
   * Why the allowing statement has a wildcard (`*` or `?`) in its action or resource. Wildcards AWS forces (no
   * resource-level permission, Secrets Manager's suffix, log streams) the model explains itself.
   */
  readonly wildcardReason?: string;
}

export type ForbiddenPath = PathBase;

export interface PathCatalogue {
  readonly paths: readonly RuntimePath[];
  readonly forbidden?: readonly ForbiddenPath[];
}

export const resource = (
  stack: string,
  id: string,
  options: Partial<Pick<ResourceRef, 'attribute' | 'suffix'>> = {},
): ResourceRef => ({
  stack,
  id,
  ...options,
});

export const role = (stack: string, id: string): PrincipalSpec => ({ role: resource(stack, id) });

export const service = (name: string, sourceArn?: ArnSpec): PrincipalSpec => ({
  service: name,
  sourceArn,
  sourceAccount: true,
});

/** An environment's secret by its name under `miko/<env>/` (ARNs carry six random characters the model fills in). */
export const secret = (name: string): string =>
  `arn:aws:secretsmanager:{region}:{account}:secret:miko/{env}/${name}-AbCdEf`;

/** A stream of a log group (the group's `Arn` attribute ends in `:*`, which the stream's ARN replaces). */
export const logStream = (stack: string, logGroupId: string): ResourceRef =>
  resource(stack, logGroupId, { suffix: ':log-stream:2026/01/01/[$LATEST]0123456789abcdef' });

/** Every secret of the environment but these (by name under `miko/<env>/`). */
export const everySecretBut = (...names: string[]): EveryResource => ({
  every: 'AWS::SecretsManager::Secret',
  except: names.map((name) => `/${name}-`),
});

/** What would remove a kept object or its lock (forbidden paths of the backup vault and the audit trail). */
export const OBJECT_TAMPER_ACTIONS = [
  's3:DeleteObject',
  's3:DeleteObjectVersion',
  's3:PutObjectRetention',
  's3:PutObjectLegalHold',
  's3:BypassGovernanceRetention',
] as const;
