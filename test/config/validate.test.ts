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
    const problems = problemsAfter((c) => {
      c.production.region = 'eu-west-1';
    });
    expectProblem(problems, 'production.region', /"eu-west-1"/, /us-east-1/, /CloudFront's certificate/, /WAF/);
  });

  it('rejects an account id that is not 12 digits', () => {
    const problems = problemsAfter((c) => {
      c.staging.account = '12345';
    });
    expectProblem(problems, 'staging.account', /"12345" is not a 12-digit AWS account id/);
  });

  it('rejects an imported certificate outside us-east-1', () => {
    const problems = problemsAfter((c) => {
      c.production.certificate = {
        mode: 'import',
        arn: 'arn:aws:acm:eu-central-1:222222222222:certificate/12345678-1234-1234-1234-123456789012',
      };
    });
    expectProblem(
      problems,
      'production.certificate.arn',
      /is in eu-central-1/,
      /only accepts certificates from us-east-1/,
    );
  });

  it('rejects an imported certificate from another account', () => {
    const problems = problemsAfter((c) => {
      c.production.certificate = {
        mode: 'import',
        arn: 'arn:aws:acm:us-east-1:999999999999:certificate/12345678-1234-1234-1234-123456789012',
      };
    });
    expectProblem(problems, 'production.certificate.arn', /account 999999999999/);
  });

  it('rejects a malformed backend URL', () => {
    const problems = problemsAfter((c) => {
      c.staging.backends.n8n.webhookUrl = 'n8n.example.com/webhook';
    });
    expectProblem(problems, 'staging.backends.n8n.webhookUrl', /not a valid URL/, /n8n webhook URL/);
  });

  it('rejects a backend reached over plain http', () => {
    const problems = problemsAfter((c) => {
      c.production.backends.supabase.projectUrl = 'http://abc.supabase.co';
    });
    expectProblem(problems, 'production.backends.supabase.projectUrl', /uses http/, /https/);
  });

  it('rejects credentials embedded in a backend URL', () => {
    const problems = problemsAfter((c) => {
      c.production.backends.n8n.webhookUrl = 'https://user:pass@n8n.example.com/webhook';
    });
    expectProblem(problems, 'production.backends.n8n.webhookUrl', /carries credentials/, /Secrets Manager/);
  });

  it('rejects staging and production sharing a domain, suggesting a staging name that collides with nothing', () => {
    const problems = problemsAfter((c) => {
      c.staging.domain.name = c.production.domain.name;
    });
    expectProblem(
      problems,
      'staging.domain.name',
      /"app\.miko\.example\.com" is also production's domain/,
      /Fix: give staging its own name, e\.g\. "staging\.miko\.example\.com"/,
    );
  });

  it('never suggests the colliding name itself', () => {
    const problems = problemsAfter((c) => {
      c.production.domain.name = 'staging.miko.example.com';
      c.staging.domain.name = 'staging.miko.example.com';
    });
    expectProblem(
      problems,
      'staging.domain.name',
      /also production's domain/,
      /e\.g\. "staging-app\.miko\.example\.com"/,
    );
  });

  it('rejects staging and production sharing an account', () => {
    const problems = problemsAfter((c) => {
      c.staging.account = c.production.account;
    });
    expectProblem(problems, 'production.account', /also staging's account/);
  });

  it('rejects a domain outside its hosted zone', () => {
    const problems = problemsAfter((c) => {
      c.staging.domain.name = 'staging.other.example.org';
    });
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
    const problems = problemsAfter((c) => {
      c.production.publicRuntimeConfig.supabaseAnonKey = secret;
    });
    expectProblem(
      problems,
      'production.publicRuntimeConfig.supabaseAnonKey',
      /Supabase secret API key/,
      /config\.json/,
    );
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
    const problems = problemsAfter((c) => {
      c.production.protectStatefulResources = false;
    });
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
    const problems = problemsAfter((c) => {
      c.staging.certificate = { mode: 'buy' };
    });
    expectProblem(problems, 'staging.certificate.mode', /"mode": "create"/);
  });

  it('rejects values filed under the wrong environment', () => {
    const problems = problemsAfter((c) => {
      c.staging.envName = 'production';
    });
    expectProblem(problems, 'staging.envName', /filed under "staging"/);
  });

  it('reports every problem at once, across both environments', () => {
    const problems = problemsAfter((c) => {
      c.staging.region = 'us-west-2';
      c.production.account = 'abc';
      c.production.alarms.criticalEmails = ['not-an-email'];
      c.production.backends.sentry.dsn = 'ftp://sentry.example.com/1';
    });
    expect(problems.map((p) => p.path)).toEqual(
      expect.arrayContaining([
        'staging.region',
        'production.account',
        'production.alarms.criticalEmails.0',
        'production.backends.sentry.dsn',
      ]),
    );
    expect(problems.length).toBeGreaterThanOrEqual(4);
  });

  it.each([
    ['apiKey', 'https://n8n.miko.example.com/webhook/chat?apiKey=abc'],
    ['token', 'https://n8n.miko.example.com/webhook/chat?token=abc'],
    ['X-Amz-Signature', 'https://n8n.miko.example.com/webhook/chat?X-Amz-Signature=abc'],
    ['secret', 'https://n8n.miko.example.com/webhook/chat?session=1&secret=abc'],
    ['password', 'https://n8n.miko.example.com/webhook/chat?password=abc'],
    ['sig', 'https://n8n.miko.example.com/webhook/chat?sig=abc'],
    ['k', 'https://n8n.miko.example.com/webhook/chat?k=' + 'Zq8' + 'x7Lm2Pv9Rt4Wn6Yb3Hc5'],
  ])(
    "refuses a credential in a backend URL's query string, by parameter name (%s), never echoing the value",
    (parameter, url) => {
      const problems = problemsAfter((c) => {
        c.production.backends.n8n.webhookUrl = url;
      });
      expectProblem(
        problems,
        'production.backends.n8n.webhookUrl',
        new RegExp(`query string: parameter "${parameter}"`),
        /Secrets Manager/,
      );
      expect(JSON.stringify(problems)).not.toContain(url.split('=').pop()!);
    },
  );

  it('accepts ordinary query parameters (words, ids, dates)', () => {
    const problems = problemsAfter((c) => {
      c.production.backends.n8n.webhookUrl =
        'https://n8n.miko.example.com/webhook/chat?channel=web&version=2026-11-22&id=12345';
    });
    expect(problems).toEqual([]);
  });

  it('refuses a query-string credential in any URL, the Sentry DSN and health checks included', () => {
    const problems = problemsAfter((c) => {
      c.staging.backends.sentry.dsn = 'https://publickey@o000000.ingest.sentry.io/0000001?auth_token=abc';
      c.staging.health.checks[0].url = `${c.staging.health.checks[0].url}?access_token=abc`;
    });
    expectProblem(problems, 'staging.backends.sentry.dsn', /parameter "auth_token"/);
    expectProblem(problems, 'staging.health.checks.0.url', /parameter "access_token"/);
  });

  it('reports an unknown key that holds a secret as a secret, by its key, never by its value', () => {
    const jwtPart = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const serviceRoleJwt = [
      'ey' + 'J' + jwtPart({ alg: 'HS256' }).slice(3),
      jwtPart({ role: 'service_role' }),
      'signature',
    ].join('.');
    const problems = problemsAfter((c) => {
      c.staging.backends.supabase.serviceKey = serviceRoleJwt;
      c.production.n8nApiKey = 'whatever';
    });
    expectProblem(
      problems,
      'staging.backends.supabase.serviceKey',
      /looks like a secret \(its value looks like a Supabase service-role JWT/,
      /Secrets Manager/,
    );
    expectProblem(
      problems,
      'production.n8nApiKey',
      /looks like a secret \(its name "n8nApiKey" says it holds a secret\)/,
    );
    expect(problems.map((p) => p.message).join('\n')).not.toMatch(/not a known field. Fix/);
    expect(JSON.stringify(problems)).not.toContain(serviceRoleJwt);
  });

  it('reports a secret in the public runtime config once, even beside a type error there', () => {
    const problems = problemsAfter((c) => {
      c.staging.publicRuntimeConfig.googleClientId = 'not-a-client-id';
      c.staging.publicRuntimeConfig.webhookSecret = 'x';
    });
    expectProblem(problems, 'staging.publicRuntimeConfig.googleClientId', /not a Google OAuth client id/);
    expectProblem(problems, 'staging.publicRuntimeConfig.webhookSecret', /published to every browser/);
    expect(problems.filter((p) => p.path === 'staging.publicRuntimeConfig.webhookSecret')).toHaveLength(1);
  });

  it('reports ten mistakes at once, in one run: type errors never hide the cross-field, cross-environment or secret rules', () => {
    const supabaseSecret = 'sb_secret_' + 'y'.repeat(24);
    const problems = problemsAfter((c) => {
      c.production.region = 'eu-west-1'; // 1 type (refinement)
      c.staging.account = '12345'; // 2 type
      c.production.features.analytics = 'yes'; // 3 type
      c.staging.domain.name = c.production.domain.name; // 4 across environments
      c.staging.delivery.githubEnvironment = c.production.delivery.githubEnvironment; // 5 across environments
      c.production.protectStatefulResources = false; // 6 within production
      c.staging.alarms.pageOnCall = true; // 7 within staging (no pager)
      c.production.publicRuntimeConfig.supabaseAnonKey = supabaseSecret; // 8 secret published
      c.staging.backends.n8n.webhookUrl += '?apiKey=abc'; // 9 query-string credential
      c.production.backends.supabase.servicePassword = 'x'; // 10 unknown key holding a secret
    });
    expect(problems.map((p) => p.path).sort()).toEqual([
      'production.backends.supabase.servicePassword',
      'production.delivery.githubEnvironment',
      'production.features.analytics',
      'production.protectStatefulResources',
      'production.publicRuntimeConfig.supabaseAnonKey',
      'production.region',
      'staging.account',
      'staging.alarms.pager',
      'staging.backends.n8n.webhookUrl',
      'staging.domain.name',
    ]);
    for (const problem of problems) expect(problem.message).toMatch(/Fix:/);
    expect(JSON.stringify(problems)).not.toContain(supabaseSecret);
  });

  it('formats the thrown error with one line per problem', () => {
    const config = structuredClone(committedConfig) as any;
    config.staging.region = 'eu-west-1';
    config.production.account = '1';
    expect(() => validateAppConfig(config)).toThrow(
      /2 problems; nothing was synthesized:\n {2}- staging.region: .*\n {2}- production.account: /,
    );
  });
});
