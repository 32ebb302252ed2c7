import { isDue, slotsToProbe, windowStart } from '../../lambda/prober/schedule';

const MINUTE = Date.parse('2026-11-22T03:00:00Z');

describe('prober schedule', () => {
  it('covers a minute plus overlap in wall-clock 5 s slots', () => {
    const slots = slotsToProbe(MINUTE, MINUTE);
    expect(slots[0]).toBe(MINUTE);
    expect(slots.every((s) => s % 5000 === 0)).toBe(true);
    expect(slots.at(-1)).toBe(MINUTE + 70_000);
  });

  it('leaves no gap when the next invocation starts up to 15 s late', () => {
    for (const lateMs of [0, 700, 9_000, 14_999]) {
      const first = slotsToProbe(MINUTE, MINUTE + 1_000);
      const second = slotsToProbe(MINUTE + 60_000, MINUTE + 60_000 + lateMs);
      const covered = new Set([...first, ...second]);
      for (let slot = MINUTE + 5_000; slot <= MINUTE + 120_000; slot += 5_000) expect(covered.has(slot)).toBe(true);
    }
  });

  it('skips slots that already passed when started late', () => {
    expect(slotsToProbe(MINUTE, MINUTE + 12_000)[0]).toBe(MINUTE + 10_000);
  });

  it('agrees across invocations on which slots a slow target is due', () => {
    expect(isDue({ everySlots: 12 }, MINUTE)).toBe(true);
    expect(isDue({ everySlots: 12 }, MINUTE + 5_000)).toBe(false);
    expect(isDue({ everySlots: 2 }, MINUTE + 10_000)).toBe(true);
  });

  it("starts the window at the event's scheduled time, or now when it has none", () => {
    expect(windowStart('2026-11-22T03:00:00Z', MINUTE + 3_000)).toBe(MINUTE);
    expect(windowStart(undefined, MINUTE + 3_200)).toBe(MINUTE);
  });
});
