/**
 * Invocations start once a minute and each covers a little more than a minute of slots, so a late start leaves no
 * gap. A slot probed twice gives two datapoints with one timestamp; the alarms read Maximum of `Failure` / Minimum
 * of `Success`, which duplicates cannot change, so no shared state is needed.
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
