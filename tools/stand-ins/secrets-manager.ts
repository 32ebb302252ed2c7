/**
 * Secrets Manager (JSON 1.1) for rotations, the rotate command, health checks and the game day: staging labels (one
 * version each; AWSPREVIOUS follows AWSCURRENT), ClientRequestToken idempotency, AWS-shaped errors and throttling.
 * RotateSecret runs the four steps via the registered function, fails if createSecret stored nothing, refuses
 * while AWSPENDING is held; moving a label must name its version.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AwsCall, listenAws, LocalServer, sendJson } from './http';

type Step = 'createSecret' | 'setSecret' | 'testSecret' | 'finishSecret';
export type RotationFunction = (event: { Step: Step; SecretId: string; ClientRequestToken: string }) => Promise<void>;

interface Version {
  value?: string;
  readonly stages: Set<string>;
}

interface StoredSecret {
  readonly name: string;
  readonly arn: string;
  readonly versions: Map<string, Version>;
  rotation?: RotationFunction;
  lastRotatedDate?: Date;
  lastChangedDate: Date;
}

/** The request fields of the operations the stand-in implements, as the SDK sends them. */
interface SecretsManagerRequest {
  readonly SecretId: string;
  readonly VersionId?: string;
  readonly VersionStage?: string;
  readonly VersionStages?: string[];
  readonly ClientRequestToken?: string;
  readonly SecretString?: string;
  readonly MoveToVersionId?: string;
  readonly RemoveFromVersionId?: string;
  readonly PasswordLength?: number;
  readonly ExcludePunctuation?: boolean;
  readonly IncludeSpace?: boolean;
  readonly RequireEachIncludedType?: boolean;
  readonly Filters?: Array<{ readonly Key: string; readonly Values: string[] }>;
  readonly NextToken?: string;
  readonly MaxResults?: number;
}

class ServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const JSON_1_1 = 'application/x-amz-json-1.1';

/** An error as the service answers it: the type in the body's `__type` and in x-amzn-errortype. */
function sendError(res: ServerResponse, status: number, type: string, message: string): void {
  sendJson(res, status, { __type: type, message }, { 'content-type': JSON_1_1, 'x-amzn-errortype': type });
}
const PASSWORD_TYPES = {
  upper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  lower: 'abcdefghijklmnopqrstuvwxyz',
  digits: '0123456789',
  punctuation: '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~',
  space: ' ',
};

/**
 * GetRandomPassword with its defaults (length 32, punctuation in, no space, each included type present). Without
 * RequireEachIncludedType a value may lack a type: the stand-in plays that worst case (no digits). A requested
 * space is always placed, so a caller that asked for one sees it.
 */
function randomPassword(body: SecretsManagerRequest): string {
  const requireEach = body.RequireEachIncludedType ?? true;
  const types = [
    PASSWORD_TYPES.upper,
    PASSWORD_TYPES.lower,
    ...(requireEach ? [PASSWORD_TYPES.digits] : []),
    ...(body.ExcludePunctuation ? [] : [PASSWORD_TYPES.punctuation]),
    ...(body.IncludeSpace ? [PASSWORD_TYPES.space] : []),
  ];
  const pick = (from: string) => from[randomBytes(1)[0] % from.length];
  const alphabet = types.join('');
  const chars = [
    ...types.filter((t) => requireEach || t === PASSWORD_TYPES.space).map(pick),
    ...Array.from({ length: body.PasswordLength ?? 32 }, () => pick(alphabet)),
  ].slice(0, body.PasswordLength ?? 32);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomBytes(1)[0] % (i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
}

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';

/** An SDK client for a stand-in at `endpoint`, with one attempt: an injected failure is seen, not retried away. */
export function oneAttemptClient(endpoint: string): SecretsManagerClient {
  return new SecretsManagerClient({
    endpoint,
    region: REGION,
    maxAttempts: 1,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
}

export class FakeSecretsManager {
  private readonly secrets = new Map<string, StoredSecret>();
  private server?: LocalServer;
  /** Every call received, by operation name, in order. */
  readonly calls: string[] = [];
  /** Every call received with its request fields, in order (what a caller asked for, e.g. which labels). */
  readonly requests: Array<{ readonly operation: string; readonly input: SecretsManagerRequest }> = [];
  /** Rotations that failed, as the RotationFailed event would report them. */
  readonly failedRotations: Array<{ secretName: string; versionId: string; step: Step; error: string }> = [];
  private readonly running = new Set<Promise<void>>();
  private readonly injectedFailures = new Map<string, number>();
  private readonly throttled = new Map<string, number>();
  private readonly cannedAnswers = new Map<string, object>();

  async start(): Promise<string> {
    this.server = await listenAws((call, res) => this.handle(call, res));
    return this.server.url;
  }

  async stop(): Promise<void> {
    await Promise.allSettled([...this.running]);
    await this.server?.close();
  }

  /** Creates a secret whose AWSCURRENT version holds `value`; with no value (CreateSecret without one), no version. */
  createSecret(name: string, value: string | undefined, rotation?: RotationFunction): string {
    const arn = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}-${randomBytes(3).toString('hex')}`;
    this.secrets.set(name, {
      name,
      arn,
      rotation,
      lastChangedDate: new Date(),
      versions: new Map(value === undefined ? [] : [[randomUUID(), { value, stages: new Set(['AWSCURRENT']) }]]),
    });
    return arn;
  }

  /** The next call of `operation` after `skip` more calls fails with a 500, as if the service (or the caller) fell over mid-step. */
  failCall(operation: string, skip = 0): void {
    this.injectedFailures.set(operation, skip);
  }

  /**
   * The next `times` calls of `operation` answer 400 ThrottlingException ("Rate exceeded"), as Secrets Manager
   * does over an API's request quota (it sends no Retry-After).
   */
  throttleCall(operation: string, times = 1): void {
    this.throttled.set(operation, times);
  }

  /** The next call of `operation` answers 200 with no fields at all: a malformed answer. */
  answerEmptyNext(operation: string): void {
    this.answerNext(operation, {});
  }

  /** The next call of `operation` answers 200 with exactly `fields`, whatever the request: a wrong answer. */
  answerNext(operation: string, fields: object): void {
    this.cannedAnswers.set(operation, fields);
  }

  /** Test helper: pretend the secret last changed (and rotated) at these dates. */
  setDates(name: string, dates: { lastChangedDate: Date; lastRotatedDate?: Date }): void {
    const secret = this.secret(name);
    secret.lastChangedDate = dates.lastChangedDate;
    secret.lastRotatedDate = dates.lastRotatedDate;
  }

  /** Every value any version of `name` ever held (what must never reach a log). */
  allValues(name: string): string[] {
    return [...this.secret(name).versions.values()].flatMap((v) => (v.value === undefined ? [] : [v.value]));
  }

  /** Test view: version id → stages, only versions that carry a label. */
  stages(name: string): Record<string, string[]> {
    return Object.fromEntries(
      [...this.secret(name).versions].filter(([, v]) => v.stages.size > 0).map(([id, v]) => [id, [...v.stages].sort()]),
    );
  }

  /** Test view: the value of the version carrying `stage`. */
  valueAt(name: string, stage: string): string | undefined {
    return [...this.secret(name).versions.values()].find((v) => v.stages.has(stage))?.value;
  }

  /** Test helper playing RotateSecret's first half: AWSPENDING on a new, empty version. Returns its id. */
  beginRotation(name: string, token: string = randomUUID()): string {
    const secret = this.secret(name);
    if (!secret.versions.has(token)) secret.versions.set(token, { stages: new Set() });
    this.moveLabel(secret, 'AWSPENDING', token);
    return token;
  }

  private secret(id: string): StoredSecret {
    const found =
      this.secrets.get(id) ?? [...this.secrets.values()].find((s) => s.arn === id || s.arn.slice(0, -7) === id);
    if (!found) throw new ServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    return found;
  }

  private moveLabel(secret: StoredSecret, label: string, toVersionId: string): void {
    for (const [id, version] of secret.versions) {
      if (id !== toVersionId && version.stages.delete(label) && label === 'AWSCURRENT') {
        for (const other of secret.versions.values()) other.stages.delete('AWSPREVIOUS');
        version.stages.add('AWSPREVIOUS');
      }
    }
    secret.versions.get(toVersionId)!.stages.add(label);
  }

  private handle({ protocol, service, operation, input }: AwsCall, res: ServerResponse): void {
    this.calls.push(operation);
    this.requests.push({ operation, input: input as SecretsManagerRequest });
    if (protocol !== 'json-1.1' || service !== 'secretsmanager')
      return sendError(res, 400, 'InvalidAction', `unexpected protocol ${protocol} ${service}`);
    const throttles = this.throttled.get(operation) ?? 0;
    if (throttles > 0) {
      this.throttled.set(operation, throttles - 1);
      sendError(res, 400, 'ThrottlingException', 'Rate exceeded');
      return;
    }
    const skip = this.injectedFailures.get(operation);
    if (skip !== undefined) {
      if (skip === 0) {
        this.injectedFailures.delete(operation);
        sendError(res, 500, 'InternalServiceError', 'injected failure');
        return;
      }
      this.injectedFailures.set(operation, skip - 1);
    }
    const canned = this.cannedAnswers.get(operation);
    if (canned && this.cannedAnswers.delete(operation)) return sendJson(res, 200, canned, { 'content-type': JSON_1_1 });
    try {
      const result = this.dispatch(operation, input as SecretsManagerRequest);
      sendJson(res, 200, result, { 'content-type': JSON_1_1 });
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      sendError(res, 400, error.type, error.message);
    }
  }

  private dispatch(operation: string, body: SecretsManagerRequest): unknown {
    switch (operation) {
      case 'DescribeSecret': {
        const secret = this.secret(body.SecretId);
        return {
          ARN: secret.arn,
          Name: secret.name,
          RotationEnabled: Boolean(secret.rotation),
          LastChangedDate: secret.lastChangedDate.getTime() / 1000,
          ...(secret.lastRotatedDate ? { LastRotatedDate: secret.lastRotatedDate.getTime() / 1000 } : {}),
          VersionIdsToStages: this.stages(secret.name),
        };
      }
      case 'GetSecretValue': {
        const secret = this.secret(body.SecretId);
        const stage: string | undefined = body.VersionStage ?? (body.VersionId ? undefined : 'AWSCURRENT');
        const entry = body.VersionId
          ? ([body.VersionId, secret.versions.get(body.VersionId)] as const)
          : [...secret.versions].find(([, v]) => v.stages.has(stage!));
        const [versionId, version] = entry ?? [];
        if (!version || version.value === undefined || (stage && !version.stages.has(stage))) {
          throw new ServiceError(
            'ResourceNotFoundException',
            "Secrets Manager can't find the specified secret value for the version or staging label.",
          );
        }
        return {
          ARN: secret.arn,
          Name: secret.name,
          VersionId: versionId,
          SecretString: version.value,
          VersionStages: [...version.stages],
        };
      }
      case 'PutSecretValue': {
        const secret = this.secret(body.SecretId);
        const token: string = body.ClientRequestToken ?? randomUUID();
        const existing = secret.versions.get(token);
        if (existing?.value !== undefined && existing.value !== body.SecretString) {
          throw new ServiceError(
            'ResourceExistsException',
            "You can't modify an existing version, you can only create a new version.",
          );
        }
        const version = existing ?? { stages: new Set<string>() };
        version.value = body.SecretString;
        secret.versions.set(token, version);
        for (const label of body.VersionStages ?? ['AWSCURRENT']) this.moveLabel(secret, label, token);
        secret.lastChangedDate = new Date();
        return { ARN: secret.arn, Name: secret.name, VersionId: token, VersionStages: [...version.stages] };
      }
      case 'UpdateSecretVersionStage': {
        const secret = this.secret(body.SecretId);
        const label = String(body.VersionStage);
        const holder = [...secret.versions].find(([, v]) => v.stages.has(label))?.[0];
        if (body.RemoveFromVersionId && holder !== body.RemoveFromVersionId) {
          throw new ServiceError(
            'InvalidParameterException',
            `The staging label ${label} is not attached to version ${body.RemoveFromVersionId}.`,
          );
        }
        if (body.MoveToVersionId) {
          if (!secret.versions.has(body.MoveToVersionId))
            throw new ServiceError('ResourceNotFoundException', 'No such version.');
          if (holder && holder !== body.MoveToVersionId && holder !== body.RemoveFromVersionId) {
            throw new ServiceError(
              'InvalidParameterException',
              `The staging label ${label} is currently attached to version ${holder}; name it in RemoveFromVersionId.`,
            );
          }
          this.moveLabel(secret, label, body.MoveToVersionId);
        } else if (body.RemoveFromVersionId) {
          if (label === 'AWSCURRENT')
            throw new ServiceError('InvalidParameterException', 'AWSCURRENT can only be moved, not removed.');
          secret.versions.get(body.RemoveFromVersionId)!.stages.delete(label);
        }
        secret.lastChangedDate = new Date();
        return { ARN: secret.arn, Name: secret.name };
      }
      case 'GetRandomPassword':
        return { RandomPassword: randomPassword(body) };
      case 'RotateSecret': {
        const secret = this.secret(body.SecretId);
        if (!secret.rotation)
          throw new ServiceError('InvalidRequestException', 'No rotation function is configured for this secret.');
        const stuck = [...secret.versions.values()].some(
          (v) => v.stages.has('AWSPENDING') && !v.stages.has('AWSCURRENT'),
        );
        if (stuck)
          throw new ServiceError(
            'InvalidRequestException',
            "A previous rotation isn't complete. That rotation will be reattempted.",
          );
        const token = this.beginRotation(secret.name, body.ClientRequestToken ?? randomUUID());
        const run = this.rotate(secret, token).finally(() => this.running.delete(run));
        this.running.add(run);
        return { ARN: secret.arn, Name: secret.name, VersionId: token };
      }
      case 'ListSecrets': {
        const prefixes: string[] = (body.Filters ?? []).filter((f) => f.Key === 'name').flatMap((f) => f.Values);
        const matching = [...this.secrets.values()]
          .filter((s) => prefixes.length === 0 || prefixes.some((p) => s.name.startsWith(p)))
          .sort((a, b) => a.name.localeCompare(b.name));
        const start = Number(body.NextToken ?? 0);
        const page = matching.slice(start, start + (body.MaxResults ?? 100));
        const next = start + page.length < matching.length ? String(start + page.length) : undefined;
        return {
          SecretList: page.map((s) => ({
            ARN: s.arn,
            Name: s.name,
            RotationEnabled: Boolean(s.rotation),
            LastChangedDate: s.lastChangedDate.getTime() / 1000,
            ...(s.lastRotatedDate ? { LastRotatedDate: s.lastRotatedDate.getTime() / 1000 } : {}),
          })),
          ...(next ? { NextToken: next } : {}),
        };
      }
      default:
        throw new ServiceError('InvalidAction', `the stand-in does not implement ${operation}`);
    }
  }

  /** The service's side of a rotation: the four steps in order, stopping at the first failure. */
  private async rotate(secret: StoredSecret, token: string): Promise<void> {
    for (const step of ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const) {
      try {
        await secret.rotation!({ Step: step, SecretId: secret.arn, ClientRequestToken: token });
        if (step === 'createSecret' && secret.versions.get(token)?.value === undefined) {
          throw new Error(`Pending secret version ${token} for Secret ${secret.name} was not created by Lambda`);
        }
      } catch (error) {
        this.failedRotations.push({ secretName: secret.name, versionId: token, step, error: (error as Error).name });
        return;
      }
    }
    secret.versions.get(token)?.stages.delete('AWSPENDING');
    secret.lastRotatedDate = new Date();
  }
}
