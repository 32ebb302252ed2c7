import { problemsAfter } from '../support/config-problems';

const messageAt = (problems: readonly { path: string; message: string }[], path: string): string => {
  const messages = problems.filter((p) => p.path === path).map((p) => p.message);
  expect(messages).toHaveLength(1);
  expect(messages[0]).toMatch(/Fix:/);
  return messages[0];
};

describe('telemetry config', () => {
  it('refuses a retention CloudWatch Logs does not offer', () => {
    const problems = problemsAfter((c) => {
      c.staging.telemetry.logRetentionDays = 45;
    });
    expect(messageAt(problems, 'staging.telemetry.logRetentionDays')).toMatch(/30, 60, 90, 180 or 365/);
  });

  it('refuses a body cap too small for a Reporting API batch and a fractional novelty window', () => {
    const problems = problemsAfter((c) => {
      c.production.telemetry.maxBodyBytes = 100;
      c.production.telemetry.noveltyWindowDays = 1.5;
    });
    expect(messageAt(problems, 'production.telemetry.maxBodyBytes')).toMatch(/from 1024 to 262144/);
    expect(messageAt(problems, 'production.telemetry.noveltyWindowDays')).toMatch(/whole number/);
  });

  it('refuses an unknown key (a typo would otherwise be ignored)', () => {
    const problems = problemsAfter((c) => {
      c.staging.telemetry.errorRatio = 5;
    });
    expect(problems.some((p) => p.path.startsWith('staging.telemetry'))).toBe(true);
  });
});
