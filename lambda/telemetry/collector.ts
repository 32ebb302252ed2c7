/**
 * The collector's work for one request, with its dependencies passed in (so tests and the preview run the same
 * code against stand-ins): admit, redact, fingerprint errors and ask the store whether each is new, write one line
 * per event, notify new kinds. The store and the notifier are bounded by their own timeouts and run in parallel;
 * whatever they answer, every admitted event is written.
 */
import type { ErrorFacts } from './event-line';
import { eventLine } from './event-line';
import { fingerprintOf } from './fingerprint';
import { admit, CollectedEvent, CollectorRequest, eventsOf, Refusal } from './intake';
import type { NoveltyStore } from './novelty';
import type { Notifier } from './notify';
import { createRedactor } from './redact';
import type { Vocabulary } from './vocabulary';

export interface CollectorDeps {
  readonly envName: string;
  readonly siteOrigin: string;
  readonly maxBodyBytes: number;
  readonly store: NoveltyStore;
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

export function createCollector(deps: CollectorDeps): (request: CollectorRequest) => Promise<CollectorAnswer> {
  const now = deps.now ?? Date.now;
  const redact = createRedactor(deps.vocabulary);
  return async (request) => {
    let events: CollectedEvent[];
    try {
      const { endpoint, json, contentType } = admit(request, {
        siteOrigin: deps.siteOrigin,
        maxBodyBytes: deps.maxBodyBytes,
      });
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
    const receivedMs = now();
    await Promise.all(
      events.map(async (event) => {
        const facts = event.kind === 'client-error' ? await errorFacts(deps, event, receivedMs) : undefined;
        deps.write(eventLine(event, deps.envName, receivedMs, facts));
      }),
    );
    return { status: 204, accepted: events.length };
  };
}

async function errorFacts(
  deps: CollectorDeps,
  error: Extract<CollectedEvent, { kind: 'client-error' }>,
  nowMs: number,
): Promise<ErrorFacts & { storeFailure?: string; notified?: boolean; notifyFailure?: string }> {
  const fingerprint = fingerprintOf(error.message, error.stack);
  const { novelty, failure } = await deps.store.sighting(deps.envName, fingerprint, error.release, nowMs);
  if (novelty !== 'new') return { fingerprint, novelty, ...(failure && { storeFailure: failure }) };
  const sent = await deps.notify({ envName: deps.envName, fingerprint, error });
  return { fingerprint, novelty, notified: sent.sent, ...(sent.failure && { notifyFailure: sent.failure }) };
}

/** Only ids we could have written: the header is client-controlled if the function URL is ever reached directly. */
function liveReleaseOf(value: string | undefined): string {
  return value && /^[A-Za-z0-9._-]{1,64}$/.test(value) ? value : 'unknown';
}
