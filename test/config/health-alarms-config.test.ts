import { committedConfig } from '../../lib/config';
import { problemsAfter } from '../support/config-problems';

function messagesAt(problems: readonly { path: string; message: string }[], path: string): string {
  const messages = problems.filter((p) => p.path === path).map((p) => p.message);
  expect(messages.length).toBeGreaterThan(0);
  for (const message of messages) expect(message).toMatch(/Fix:/);
  return messages.join('\n');
}

describe('health and alarms config', () => {
  it('refuses a check whose secret is not a known credential id', () => {
    const problems = problemsAfter((c) => {
      c.production.health.checks[0].auth.secret = 'supabase-password';
    });
    expect(messagesAt(problems, 'production.health.checks.0.auth.secret')).toMatch(/supabase-secret-key/);
  });

  it('refuses a header format that never sends the secret', () => {
    const problems = problemsAfter((c) => {
      c.production.health.checks[0].auth.format = 'Bearer';
    });
    expect(messagesAt(problems, 'production.health.checks.0.auth.format')).toMatch(/\{secret\}/);
  });

  it('refuses a check timeout longer than the overall deadline, and duplicate names', () => {
    const problems = problemsAfter((c) => {
      c.staging.health.checks[0].timeoutMs = 5000;
      c.staging.health.checks[1].name = c.staging.health.checks[0].name;
    });
    expect(messagesAt(problems, 'staging.health.checks.0.timeoutMs')).toMatch(/deadlineMs/);
    expect(messagesAt(problems, 'staging.health.checks.1.name')).toMatch(/two checks/);
  });

  it('refuses plain-http check URLs', () => {
    const problems = problemsAfter((c) => {
      c.production.health.checks[2].url = 'http://n8n.miko.example.com/healthz';
    });
    expect(messagesAt(problems, 'production.health.checks.2.url')).toMatch(/https/);
  });

  it('requires a pager secret when paging is on', () => {
    const problems = problemsAfter((c) => {
      delete c.production.alarms.pager;
    });
    expect(messagesAt(problems, 'production.alarms.pager')).toMatch(/pageOnCall/);
  });

  it('staging pages nobody as committed', () => {
    expect(committedConfig.staging.alarms.pageOnCall).toBe(false);
  });
});
