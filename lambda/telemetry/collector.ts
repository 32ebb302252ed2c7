/**
 * The collector's work for one request (dependencies passed in, so tests and the preview run this code): admit,
 * redact, spend the event budget, fingerprint, log each event, notify new kinds within the caps. Store and notifier
 * run in parallel under their own timeouts; every accepted event is written whatever they answer.
 */
import type { ErrorFacts } from './event-line';
import { eventLine } from './event-line';
import { fingerprintOf } from './fingerprint';
import { admit, CollectedEvent, CollectorRequest, eventsOf, Refusal } from './intake';
import type { BudgetVerdict, EventBudget } from './event-budget';
import type { NoticeCaps } from './notice-caps';
import type { NoveltyStore } from './novelty';
import type { Notifier } from './notify';
import { createRedactor } from './redact';
import type { Vocabulary } from './vocabulary';

export interface CollectorDeps {
  readonly envName: string;
  readonly siteOrigin: string;
  readonly maxBodyBytes: number;
  readonly store: NoveltyStore;
  /** How many events may be accepted this minute (held in the store, across instances). */
  readonly budget: EventBudget;
  /** How many notices may still go out (held in the store, across instances). */
  readonly caps: NoticeCaps;
  /** The per-release cap, named in each notice. */
  readonly releaseCap: number;
  readonly notify: Notifier;
  /** The release's code words and routes: what redaction may keep. */
  readonly vocabulary: Vocabulary;
  /** Where event lines go: stdout in Lambda (the function's KMS-encrypted log group). */
  readonly write: (line: string) => void;
  readonly now?: () => number;
}

export interface CollectorAnswer {
  readonly status: number;
  /** Why a request was refused (never echoes the body). */
  readonly reason?: string;
  readonly accepted: number;
}

const RELEASE_HEADER = 'x-miko-release';
export const BUDGET_UNIT_BYTES = 1024;
const OVER_BUDGET: CollectorAnswer = {
  status: 429,
  reason: 'telemetry budget spent this minute; try again later',
  accepted: 0,
};

export function createCollector(deps: CollectorDeps): (request: CollectorRequest) => Promise<CollectorAnswer> {
  const now = deps.now ?? Date.now;
  const redact = createRedactor(deps.vocabulary);
  return async (request) => {
    const receivedMs = now();
    let events: CollectedEvent[];
    let admission: BudgetVerdict | undefined;
    try {
      const { endpoint, json, contentType } = admit(request, {
        siteOrigin: deps.siteOrigin,
        maxBodyBytes: deps.maxBodyBytes,
      });
      admission = deps.budget.atOnce(receivedMs);
      if (admission === 'refuse') return OVER_BUDGET;
      events = eventsOf(
        endpoint,
        json,
        {
          liveRelease: liveReleaseOf(request.headers[RELEASE_HEADER]),
          userAgent: request.headers['user-agent'],
          redact,
        },
        contentType,
      );
    } catch (error) {
      if (error instanceof Refusal) return { status: error.status, reason: error.message, accepted: 0 };
      throw error;
    }
    // After validation, so a malformed request spends none of it. A large event counts once per KiB: the budget
    // bounds what is logged, not only how many lines.
    const units = Math.max(events.length, Math.ceil(request.body.length / BUDGET_UNIT_BYTES));
    admission ??= await deps.budget.admit(deps.envName, units, receivedMs);
    if (admission === 'refuse') return OVER_BUDGET;
    // A sample costs one line and no store write: it is what still gets through a flood.
    const accepted = admission === 'sample' ? events.slice(0, 1) : events;
    const liveRelease = liveReleaseOf(request.headers[RELEASE_HEADER]);
    await Promise.all(
      accepted.map(async (event) => {
        const facts =
          event.kind !== 'client-error'
            ? undefined
            : admission === 'sample'
              ? { fingerprint: fingerprintOf(event.message, event.stack), novelty: 'unknown' as const, liveRelease }
              : await errorFacts(deps, event, liveRelease, receivedMs);
        deps.write(eventLine(event, deps.envName, receivedMs, facts, admission === 'sample'));
      }),
    );
    return { status: 204, accepted: accepted.length };
  };
}

/**
 * Novelty is asked per live release: a fingerprint sent before this release was deployed (the bundle is public, so
 * anyone can compute one) is new again in it, so it cannot hide this release's errors.
 */
async function errorFacts(
  deps: CollectorDeps,
  error: Extract<CollectedEvent, { kind: 'client-error' }>,
  liveRelease: string,
  nowMs: number,
): Promise<ErrorFacts & { storeFailure?: string; notified?: boolean; notifyFailure?: string; noticeCap?: string }> {
  const fingerprint = fingerprintOf(error.message, error.stack);
  const { novelty, failure } = await deps.store.sighting(deps.envName, fingerprint, liveRelease, nowMs);
  const known = { fingerprint, novelty, liveRelease };
  if (novelty !== 'new') return { ...known, ...(failure && { storeFailure: failure }) };
  const cap = await deps.caps.take(deps.envName, liveRelease, nowMs);
  if (cap.verdict === 'quiet')
    return {
      ...known,
      notified: false,
      ...(cap.cap && { noticeCap: cap.cap }),
      ...(cap.failure && { storeFailure: cap.failure }),
    };
  const sent = await deps.notify(
    cap.verdict === 'notify'
      ? {
          kind: 'new-kind',
          envName: deps.envName,
          fingerprint,
          liveRelease,
          releaseCount: cap.releaseCount,
          releaseCap: deps.releaseCap,
        }
      : { kind: 'cap-reached', envName: deps.envName, liveRelease, cap: cap.cap, limit: cap.limit },
  );
  return {
    ...known,
    notified: sent.sent && cap.verdict === 'notify',
    ...(cap.verdict === 'cap-reached' && { noticeCap: cap.cap }),
    ...(sent.failure && { notifyFailure: sent.failure }),
  };
}

/** Only ids we could have written: the header is client-controlled if the function URL is ever reached directly. */
function liveReleaseOf(value: string | undefined): string {
  return value && /^[A-Za-z0-9._-]{1,64}$/.test(value) ? value : 'unknown';
}
