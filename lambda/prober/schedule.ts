/**
 * When the prober probes. Invocations start once a minute; each one covers the wall-clock slots of a window a
 * little longer than a minute, so consecutive invocations overlap and a late start (scheduler jitter, a cold
 * start) leaves no gap. A slot probed by both invocations yields two datapoints with the same timestamp; the
 * alarms read Maximum of `Failure` / Minimum of `Success`, which duplicates cannot change, so de-duplication
 * needs no shared state.
 */

/** Probing cadence. 5 s keeps the worst-case time to detect a dead site at 20 s (see tools/analysis/time-to-detect.ts). */
export const SLOT_MS = 5_000;

/** 60 s of schedule plus 15 s of overlap: a start up to 15 s late still finds its first slot covered. */
export const WINDOW_MS = 75_000;

/** A probe target and how often it is probed, in slots (1 = every slot). */
export interface TargetSchedule {
  readonly everySlots: number;
}

/** Start times (ms since epoch) of the slots this invocation owns that have not yet passed. */
export function slotsToProbe(windowStartMs: number, nowMs: number, slotMs = SLOT_MS, windowMs = WINDOW_MS): number[] {
  const first = Math.ceil(windowStartMs / slotMs) * slotMs;
  const slots: number[] = [];
  // A slot that started less than half a slot ago is still worth probing (a cold start eats a few hundred ms).
  for (let slot = first; slot < windowStartMs + windowMs; slot += slotMs) {
    if (slot >= nowMs - slotMs / 2) slots.push(slot);
  }
  return slots;
}

/** Whether a target is due in a slot: by wall clock, so every invocation agrees (e.g. "on every minute's :00"). */
export function isDue(target: TargetSchedule, slotMs: number, slotLengthMs = SLOT_MS): boolean {
  return Math.round(slotMs / slotLengthMs) % target.everySlots === 0;
}

/** The window an invocation owns starts at its scheduled minute (the event's `time`), not when it happened to start. */
export function windowStart(eventTime: string | undefined, nowMs: number, slotMs = SLOT_MS): number {
  const scheduled = eventTime ? Date.parse(eventTime) : NaN;
  if (Number.isFinite(scheduled) && Math.abs(nowMs - scheduled) < WINDOW_MS) return scheduled;
  return Math.floor(nowMs / slotMs) * slotMs;
}
