/** The RTO model: its total is its steps, the photo step runs at the slower of the measured rate and the line. */
import {
  PHOTO_NETWORK_MB_PER_SECOND,
  REMOTE_SLOWDOWN,
  lostAccount,
  lostProject,
} from '../../scripts/lib/recovery-model';

const rates = { dbRestoreSecondsPerGb: 100, photoRestoreMbPerSecond: 10 };
const step = (plan: ReturnType<typeof lostProject>, what: RegExp) => plan.steps.find((s) => what.test(s.step))!;

test('a lost project restores the database and the photos at the measured rates, slower of rate and line', () => {
  const plan = lostProject(2, 50, rates);
  expect(plan.hours).toBeCloseTo(plan.steps.reduce((n, s) => n + s.minutes, 0) / 60, 10);
  expect(step(plan, /database/).minutes).toBeCloseTo((2 * 100 * REMOTE_SLOWDOWN) / 60, 10);
  expect(step(plan, /photos/).minutes).toBeCloseTo((50 * 1024) / 10 / 60, 10);
  const fast = lostProject(2, 50, { ...rates, photoRestoreMbPerSecond: 1000 });
  expect(step(fast, /photos/).minutes).toBeCloseTo((50 * 1024) / PHOTO_NETWORK_MB_PER_SECOND / 60, 10);
  // Twice the photos, twice the photo step.
  expect(step(lostProject(2, 100, rates), /photos/).minutes).toBeCloseTo(2 * step(plan, /photos/).minutes, 10);
});

test('a lost AWS account restores no data (Supabase keeps it) and fits the 4 h goal on its own', () => {
  const plan = lostAccount();
  expect(plan.steps.some((s) => /restore|photos/.test(s.step))).toBe(false);
  expect(plan.hours).toBeLessThan(4);
});
