/** Template assertions on the Monitoring stack: every alarm's settings and actions, topics, Route53, dashboard. */
import { Match } from 'aws-cdk-lib/assertions';
import { handler } from '../../lambda/health/handler';
import { template } from '../support/assembly';

const prod = () => template('Production', 'Monitoring');
const staging = () => template('Staging', 'Monitoring');

function alarm(t: ReturnType<typeof prod>, name: string): any {
  const found = Object.values<any>(t.findResources('AWS::CloudWatch::Alarm')).find(
    (r) => r.Properties.AlarmName === name,
  );
  if (!found) throw new Error(`no alarm ${name}`);
  return found.Properties;
}

function topicRef(t: ReturnType<typeof prod>, topicName: string): string {
  const [logicalId] = Object.entries<any>(t.findResources('AWS::SNS::Topic')).find(
    ([, r]) => r.Properties.TopicName === topicName,
  )!;
  return logicalId;
}

describe('alarms', () => {
  // Each alarm's settings are tested in process (alarm-catalogue.test.ts); here, that the stack wires them up.
  it('makes the catalogue for its own site, prober and functions, each alarm to its severity topic, critical ones with OK', () => {
    const t = prod();
    const names = Object.values<any>(t.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties.AlarmName);
    expect(names).toEqual(
      expect.arrayContaining([
        'miko-production-critical-site-down',
        'miko-production-critical-route53-unhealthy',
        'miko-production-warning-waf-blocks-spike',
        'miko-production-warning-lambda-health-errors',
        'miko-production-warning-lambda-prober-throttles',
        'miko-production-warning-lambda-telemetry-errors',
      ]),
    );
    for (const severity of ['critical', 'warning'] as const) {
      const topic = { Ref: topicRef(t, `miko-production-${severity}`) };
      for (const name of names.filter((n) => n.startsWith(`miko-production-${severity}-`))) {
        const a = alarm(t, name);
        expect(a.AlarmActions).toContainEqual(topic);
        // Critical alarms send their recovery so the pager resolves the incident; warnings do not.
        expect(a.OKActions ?? []).toEqual(severity === 'critical' ? [topic] : []);
      }
    }
  });

  it('high-resolution prober metrics are scoped to the environment', () => {
    const a = alarm(staging(), 'miko-staging-critical-site-down');
    expect(a.Dimensions).toEqual(
      expect.arrayContaining([
        { Name: 'Environment', Value: 'staging' },
        { Name: 'Target', Value: 'site' },
      ]),
    );
  });

  it('has an action on every alarm, and the canary alarms also call the abort function', () => {
    for (const a of Object.values<any>(prod().findResources('AWS::CloudWatch::Alarm')))
      expect(a.Properties.AlarmActions.length).toBe(/-warning-canary-/.test(a.Properties.AlarmName) ? 2 : 1);
  });
});

describe('paging topics', () => {
  it('encrypts both topics with the platform key and refuses non-TLS publishers', () => {
    // CDK's Template assertions throw on a mismatch; wrapped so the suite's one-assertion rule sees them.
    expect(() => {
      const t = prod();
      for (const name of ['miko-production-critical', 'miko-production-warning']) {
        t.hasResourceProperties('AWS::SNS::Topic', {
          TopicName: name,
          KmsMasterKeyId: {
            // A weak cross-stack reference (cdk.json's defaultCrossStackReferences) to the Data stack's platform key.
            'Fn::GetStackOutput': {
              StackName: 'Production-Data',
              Region: 'us-east-1',
              OutputName: Match.stringLikeRegexp('PlatformKey.*Arn'),
            },
          },
        });
      }
      t.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }).not.toThrow();
  });

  it('pages production through the pager subscriber Lambda (its key read from Secrets Manager at run time), plus email', () => {
    // CDK's Template assertions throw on a mismatch; wrapped so the suite's one-assertion rule sees them.
    expect(() => {
      const t = prod();
      const critical = topicRef(t, 'miko-production-critical');
      t.hasResourceProperties('AWS::SNS::Subscription', { TopicArn: { Ref: critical }, Protocol: 'lambda' });
      t.hasResourceProperties('AWS::SNS::Subscription', {
        TopicArn: { Ref: critical },
        Protocol: 'email',
        Endpoint: 'oncall@miko.example.com',
      });
      t.hasResourceProperties('AWS::SNS::Subscription', {
        TopicArn: { Ref: topicRef(t, 'miko-production-warning') },
        Protocol: 'email',
        Endpoint: 'platform@miko.example.com',
      });
    }).not.toThrow();
  });

  it('pages nobody in staging (pageOnCall false): email only', () => {
    const protocols = Object.values<any>(staging().findResources('AWS::SNS::Subscription')).map(
      (s) => s.Properties.Protocol,
    );
    expect(protocols).not.toContain('https');
    expect(protocols).not.toContain('lambda');
    expect(protocols).toContain('email');
  });

  it('lets CloudWatch and EventBridge use the key to publish to the encrypted topics', () => {
    // CDK's Template assertions throw on a mismatch; wrapped so the suite's one-assertion rule sees them.
    expect(() => {
      for (const service of ['cloudwatch.amazonaws.com', 'events.amazonaws.com']) {
        template('Production', 'Data').hasResourceProperties('AWS::KMS::Key', {
          KeyPolicy: {
            Statement: Match.arrayWith([
              Match.objectLike({ Principal: { Service: service }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] }),
            ]),
          },
        });
      }
    }).not.toThrow();
  });
});

describe('Route53 health check', () => {
  it('checks /health over HTTPS every 30 s, one failure per checker, with neither paid string-match nor latency option', () => {
    prod().hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: {
        Type: 'HTTPS',
        FullyQualifiedDomainName: 'app.miko.example.com',
        Port: 443,
        ResourcePath: '/health',
        RequestInterval: 30,
        FailureThreshold: 1,
        MeasureLatency: false,
        EnableSNI: true,
      },
    });
    const config = Object.values<any>(prod().findResources('AWS::Route53::HealthCheck'))[0].Properties
      .HealthCheckConfig;
    expect(config.SearchString).toBeUndefined();
  });
});

describe('prober', () => {
  it('runs every minute, never retried, with overlap-sized timeout and settings for its site', () => {
    const t = prod();
    t.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      Targets: [Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 0 } })],
    });
    const fn = Object.values<any>(t.findResources('AWS::Lambda::Function')).find(
      (f) => f.Properties.Environment?.Variables?.MIKO_PROBER_SETTINGS,
    );
    const settings = JSON.parse(fn.Properties.Environment.Variables.MIKO_PROBER_SETTINGS);
    expect(settings).toMatchObject({
      environment: 'production',
      siteUrl: 'https://app.miko.example.com',
      slotMs: 5000,
    });
    expect(fn.Properties.Timeout * 1000).toBeGreaterThan(settings.windowMs + 2 * settings.timeoutMs);
  });

  it('may publish metrics only to its own namespace', () => {
    // CDK's Template assertions throw on a mismatch; wrapped so the suite's one-assertion rule sees them.
    expect(() => {
      prod().hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Action: 'cloudwatch:PutMetricData',
              Condition: { StringEquals: { 'cloudwatch:namespace': 'MiKO/Synthetics' } },
            }),
          ]),
        },
      });
    }).not.toThrow();
  });
});

describe('dashboard', () => {
  function widgets(): any[] {
    const [dashboard] = Object.values<any>(prod().findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboard.Properties.DashboardName).toBe('miko-production');
    const body = dashboard.Properties.DashboardBody;
    const text =
      typeof body === 'string'
        ? body
        : body['Fn::Join'][1].map((p: unknown) => (typeof p === 'string' ? p : 'REF')).join('');
    return JSON.parse(text).widgets;
  }

  it('has the widgets the on-call needs', () => {
    const titles = widgets().map((w) => w.properties.title ?? w.properties.markdown);
    for (const expected of [
      /^Alarms$/,
      /Availability/,
      /Latency/,
      /CloudFront requests/,
      /error rates/,
      /cache-hit/,
      /WAF allowed/,
      /Dependencies \(/,
      /Lambdas: invocations/,
      /Lambdas: errors/,
      /Lambdas: duration/,
      /Rotation outcomes/,
    ]) {
      expect(titles.some((t) => expected.test(t))).toBe(true);
    }
  });

  it("shows every alarm's state and every dependency check", () => {
    const all = widgets();
    const status = all.find((w) => w.type === 'alarm');
    expect(status.properties.alarms.length).toBe(Object.keys(prod().findResources('AWS::CloudWatch::Alarm')).length);
    const deps = all.find((w) => w.type === 'log' && /^Dependencies \(/.test(w.properties.title));
    for (const check of ['supabase-rest', 'supabase-auth', 'n8n', 'n8n-api', 'google-calendar'])
      expect(deps.properties.title).toContain(check);
    // The query reads the prober's own log lines (lambda/prober/run.ts logs `event: "probe"` with `dependencies`).
    expect(JSON.stringify(deps.properties.query)).toMatch(
      /filter event = \\"probe\\" and ispresent\(dependencies\.0\.check\)/,
    );
  });
});

describe('custom metrics', () => {
  it('offers the app back end a policy that may publish to MiKO/App only', () => {
    // CDK's Template assertions throw on a mismatch; wrapped so the suite's one-assertion rule sees them.
    expect(() => {
      prod().hasResourceProperties('AWS::IAM::ManagedPolicy', {
        ManagedPolicyName: 'Production-app-metrics-publisher',
        PolicyDocument: {
          Statement: [
            Match.objectLike({
              Action: 'cloudwatch:PutMetricData',
              Condition: { StringEquals: { 'cloudwatch:namespace': 'MiKO/App' } },
            }),
          ],
        },
      });
    }).not.toThrow();
  });
});

describe('Route53 and the health handler agree', () => {
  it('Route53 counts a 2xx or 3xx as healthy: /health answers 200 healthy, and a path it does not serve is a 404 Route53 would count as down', async () => {
    const live = await handler({ rawPath: '/health' });
    expect(live.statusCode).toBe(200);
    expect(JSON.parse(live.body).status).toBe('healthy');
    expect((await handler({ rawPath: '/health/nothing-here' })).statusCode).toBe(404);
  });
});

describe('wired to the site', () => {
  it("watches the Site stack's own distribution and web ACL metrics", () => {
    const fiveXx = alarm(prod(), 'miko-production-critical-error-rate-5xx');
    expect(JSON.stringify(fiveXx.Dimensions.find((d: any) => d.Name === 'DistributionId').Value)).toMatch(
      /GetStackOutput.*"StackName":"Production-Site".*SiteDistribution/,
    );
    const waf = alarm(prod(), 'miko-production-warning-waf-blocks-spike');
    expect(waf.Dimensions).toEqual(
      expect.arrayContaining([
        { Name: 'WebACL', Value: 'miko-production-site' },
        { Name: 'Rule', Value: 'ALL' },
      ]),
    );
  });
});
