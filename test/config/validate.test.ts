import { committedConfig, validateAppConfig } from '../../lib/config';
import { problemsAfter } from '../support/config-problems';

function expectProblem(problems: readonly { path: string; message: string }[], path: string, ...fragments: RegExp[]) {
  const atPath = problems.filter((p) => p.path === path);
  expect(atPath.map((p) => p.path)).toContain(path);
  for (const fragment of fragments) expect(atPath.map((p) => p.message).join('\n')).toMatch(fragment);
  // Every message says how to fix it.
  for (const problem of atPath) expect(problem.message).toMatch(/Fix:/);
}

describe('config validation', () => {
  it('accepts the committed placeholder config', () => {
    const config = validateAppConfig(committedConfig);
    expect(config.production.region).toBe('us-east-1');
    expect(config.staging.envName).toBe('staging');
  });

  it('requires us-east-1 and says why', () => {
    const problems = problemsAfter((c) => { c.production.region = 'eu-west-1'; });
    expectProblem(problems, 'production.region', /"eu-west-1"/, /us-east-1/, /CloudFront's certificate/, /WAF/);
  });

  it('rejects an account id that is not 12 digits', () => {
    const problems = problemsAfter((c) => { c.staging.account = '12345'; });
    expectProblem(problems, 'staging.account', /"12345" is not a 12-digit AWS account id/);
  });

  it('rejects an imported certificate outside us-east-1', () => {
    const problems = problemsAfter((c) => {
      c.production.certificate = { mode: 'import', arn: 'arn:aws:acm:eu-central-1:222222222222:certificate/12345678-1234-1234-1234-123456789012' };
    });
    expectProblem(problems, 'production.certificate.arn', /is in eu-central-1/, /only accepts certificates from us-east-1/);
  });

  it('rejects an imported certificate from another account', () => {
    const problems = problemsAfter((c) => {
      c.production.certificate = { mode: 'import', arn: 'arn:aws:acm:us-east-1:999999999999:certificate/12345678-1234-1234-1234-123456789012' };
    });
    expectProblem(problems, 'production.certificate.arn', /account 999999999999/);
  });

  it('rejects a malformed backend URL', () => {
    const problems = problemsAfter((c) => { c.staging.backends.n8n.webhookUrl = 'n8n.example.com/webhook'; });
    expectProblem(problems, 'staging.backends.n8n.webhookUrl', /not a valid URL/, /n8n webhook URL/);
  });

  it('rejects a backend reached over plain http', () => {
    const problems = problemsAfter((c) => { c.production.backends.supabase.projectUrl = 'http://abc.supabase.co'; });
    expectProblem(problems, 'production.backends.supabase.projectUrl', /uses http/, /https/);
  });

  it('rejects credentials embedded in a backend URL', () => {
    const problems = problemsAfter((c) => { c.production.backends.n8n.webhookUrl = 'https://user:pass@n8n.example.com/webhook'; });
    expectProblem(problems, 'production.backends.n8n.webhookUrl', /carries credentials/, /Secrets Manager/);
  });

  it('rejects staging and production sharing a domain', () => {
    const problems = problemsAfter((c) => { c.staging.domain.name = c.production.domain.name; });
    expectProblem(problems, 'production.domain.name', /also staging's domain/);
  });

  it('rejects staging and production sharing an account', () => {
    const problems = problemsAfter((c) => { c.staging.account = c.production.account; });
    expectProblem(problems, 'production.account', /also staging's account/);
  });

  it('rejects a domain outside its hosted zone', () => {
    const problems = problemsAfter((c) => { c.staging.domain.name = 'staging.other.example.org'; });
    expectProblem(problems, 'staging.domain.name', /not inside the hosted zone "miko.example.com"/);
  });

  it('rejects a malformed hosted zone id and domain name', () => {
    const problems = problemsAfter((c) => {
      c.staging.domain.hostedZone.id = 'zone-123';
      c.staging.domain.name = 'https://Staging.Example.com/';
    });
    expectProblem(problems, 'staging.domain.hostedZone.id', /not a Route53 hosted zone id/);
    expectProblem(problems, 'staging.domain.name', /not a lower-case DNS name/);
  });

  it('rejects a secret in the public runtime config, naming the key and never echoing the value', () => {
    const secret = 'sb_secret_' + 'x'.repeat(24);
    const problems = problemsAfter((c) => { c.production.publicRuntimeConfig.supabaseAnonKey = secret; });
    expectProblem(problems, 'production.publicRuntimeConfig.supabaseAnonKey', /Supabase secret API key/, /config\.json/);
    expect(JSON.stringify(problems)).not.toContain(secret);
  });

  it('rejects a missing field and an unknown field', () => {
    const problems = problemsAfter((c) => {
      delete c.staging.costCentre;
      c.staging.wafLimit = 5;
    });
    expectProblem(problems, 'staging.costCentre', /is missing/);
    expectProblem(problems, 'staging.wafLimit', /not a known field/);
  });

  it('rejects an unprotected production', () => {
    const problems = problemsAfter((c) => { c.production.protectStatefulResources = false; });
    expectProblem(problems, 'production.protectStatefulResources', /deleting a stack would delete/);
  });

  it('rejects out-of-range numbers', () => {
    const problems = problemsAfter((c) => {
      c.production.rotation.scheduleDays = 0;
      c.production.waf.rateLimitPer5Minutes = 10.5;
    });
    expectProblem(problems, 'production.rotation.scheduleDays', /too small/);
    expectProblem(problems, 'production.waf.rateLimitPer5Minutes', /whole number/);
  });

  it('rejects a certificate that is neither created nor imported', () => {
    const problems = problemsAfter((c) => { c.staging.certificate = { mode: 'buy' }; });
    expectProblem(problems, 'staging.certificate.mode', /"mode": "create"/);
  });

  it('rejects values filed under the wrong environment', () => {
    const problems = problemsAfter((c) => { c.staging.envName = 'production'; });
    expectProblem(problems, 'staging.envName', /filed under "staging"/);
  });

  it('reports every problem at once, across both environments', () => {
    const problems = problemsAfter((c) => {
      c.staging.region = 'us-west-2';
      c.production.account = 'abc';
      c.production.alarms.criticalEmails = ['not-an-email'];
      c.production.backends.sentry.dsn = 'ftp://sentry.example.com/1';
    });
    expect(problems.map((p) => p.path)).toEqual(expect.arrayContaining([
      'staging.region', 'production.account', 'production.alarms.criticalEmails.0', 'production.backends.sentry.dsn',
    ]));
    expect(problems.length).toBeGreaterThanOrEqual(4);
  });

  it('formats the thrown error with one line per problem', () => {
    const config = structuredClone(committedConfig) as any;
    config.staging.region = 'eu-west-1';
    config.production.account = '1';
    expect(() => validateAppConfig(config)).toThrow(/2 problems; nothing was synthesized:\n {2}- staging.region: .*\n {2}- production.account: /);
  });
});
