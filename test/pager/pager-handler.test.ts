/**
 * The pager subscriber against a local stand-in for PagerDuty's Events API v2 and the Secrets Manager stand-in:
 * an alarm's ALARM opens an incident under its dedup key, its OK resolves that same incident, and the integration
 * key leaves only in the request body, never in a URL or a log line.
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { pagerEventFor } from '../../lambda/pager/events';
import { pagerHandler } from '../../lambda/pager/handler';
import { secretsManagerReader } from '../../lambda/health/secret-cache';
import { FakeSecretsManager, oneAttemptClient } from '../../tools/stand-ins/secrets-manager';
import { listenWithBody as startLocalServer } from '../../tools/stand-ins/http';

/** Like PagerDuty: 202 for a valid event, 400 for a malformed one, 429/500 when told to. Keeps open incidents. */
async function fakePagerDuty(routingKey: string) {
  const state = {
    requests: [] as Array<{ url?: string; body: any }>,
    open: new Map<string, string>(),
    failWith: undefined as number | undefined,
  };
  const server = await startLocalServer((req, body, res) => {
    const json = (status: number, payload: object) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
    let event: any;
    try {
      event = JSON.parse(body);
    } catch {
      return void json(400, { status: 'invalid event', message: 'Event object is invalid' });
    }
    state.requests.push({ url: req.url, body: event });
    if (state.failWith) return void json(state.failWith, { status: 'error' });
    if (req.method !== 'POST' || req.url !== '/v2/enqueue') return void json(404, { status: 'not found' });
    if (event.routing_key !== routingKey)
      return void json(400, { status: 'invalid event', errors: ['routing_key is invalid'] });
    if (event.event_action === 'trigger') {
      if (
        !event.payload?.summary ||
        !event.payload?.source ||
        !['critical', 'error', 'warning', 'info'].includes(event.payload?.severity)
      ) {
        return void json(400, { status: 'invalid event', errors: ['payload is invalid'] });
      }
      state.open.set(event.dedup_key, event.payload.summary);
    } else if (event.event_action === 'resolve') {
      state.open.delete(event.dedup_key);
    } else return void json(400, { status: 'invalid event', errors: ['event_action is invalid'] });
    json(202, { status: 'success', message: 'Event processed', dedup_key: event.dedup_key });
  });
  return { ...server, state };
}

const alarm = (state: 'ALARM' | 'OK' | 'INSUFFICIENT_DATA', name = 'miko-production-critical-site-down') =>
  JSON.stringify({
    AlarmName: name,
    AlarmArn: `arn:aws:cloudwatch:us-east-1:222222222222:alarm:${name}`,
    AlarmDescription: '[critical] The prober found / failing.',
    NewStateValue: state,
    NewStateReason: 'Threshold Crossed: 1 datapoint [1.0] >= 1.0',
    Region: 'US East (N. Virginia)',
  });
const sns = (...messages: string[]) => ({ Records: messages.map((Message) => ({ Sns: { Message } })) });

describe('the pager subscriber (PagerDuty Events API v2)', () => {
  const routingKey = ['r', 'k', '0'.repeat(30)].join('');
  let secrets: FakeSecretsManager;
  let client: SecretsManagerClient;
  let pager: Awaited<ReturnType<typeof fakePagerDuty>>;
  let logs: string[];

  beforeEach(async () => {
    secrets = new FakeSecretsManager();
    client = oneAttemptClient(await secrets.start());
    secrets.createSecret('miko/production/pager-integration-key', JSON.stringify({ routingKey }));
    pager = await fakePagerDuty(routingKey);
    logs = [];
    jest.spyOn(console, 'log').mockImplementation((...args) => void logs.push(args.join(' ')));
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    client.destroy();
    await Promise.all([pager.close(), secrets.stop()]);
  });

  const handler = () =>
    pagerHandler(
      {
        eventsUrl: `${pager.url}/v2/enqueue`,
        secretName: 'miko/production/pager-integration-key',
        jsonField: 'routingKey',
        source: 'miko-production',
      },
      secretsManagerReader(client),
    );

  it('opens an incident on ALARM and resolves that same incident on OK', async () => {
    await handler()(sns(alarm('ALARM')));
    expect([...pager.state.open.keys()]).toEqual([
      'arn:aws:cloudwatch:us-east-1:222222222222:alarm:miko-production-critical-site-down',
    ]);
    expect(pager.state.requests[0].body).toEqual({
      routing_key: routingKey,
      event_action: 'trigger',
      dedup_key: 'arn:aws:cloudwatch:us-east-1:222222222222:alarm:miko-production-critical-site-down',
      payload: {
        summary: 'miko-production-critical-site-down: Threshold Crossed: 1 datapoint [1.0] >= 1.0',
        source: 'miko-production',
        severity: 'critical',
        custom_details: {
          alarm: 'miko-production-critical-site-down',
          description: '[critical] The prober found / failing.',
          region: 'US East (N. Virginia)',
        },
      },
    });
    await handler()(sns(alarm('OK')));
    expect(pager.state.open.size).toBe(0);
    expect(pager.state.requests[1].body).toEqual({
      routing_key: routingKey,
      event_action: 'resolve',
      dedup_key: pager.state.requests[0].body.dedup_key,
    });
  });

  it('keeps one incident per alarm: two alarms, two dedup keys; OK of one leaves the other open', async () => {
    await handler()(sns(alarm('ALARM'), alarm('ALARM', 'miko-production-critical-error-rate-5xx')));
    await handler()(sns(alarm('OK', 'miko-production-critical-error-rate-5xx')));
    expect([...pager.state.open.keys()]).toEqual([
      'arn:aws:cloudwatch:us-east-1:222222222222:alarm:miko-production-critical-site-down',
    ]);
  });

  it('tells the pager nothing on INSUFFICIENT_DATA, and pages a rotation failure event per secret', async () => {
    await handler()(sns(alarm('INSUFFICIENT_DATA')));
    expect(pager.state.requests).toEqual([]);
    const rotationFailed = JSON.stringify({
      'detail-type': 'AWS Service Event via CloudTrail',
      source: 'aws.secretsmanager',
      region: 'us-east-1',
      detail: {
        eventName: 'RotationFailed',
        additionalEventData: {
          SecretId: 'arn:aws:secretsmanager:us-east-1:222222222222:secret:miko/production/google-api-key-AbCdEf',
        },
      },
    });
    await handler()(sns(rotationFailed));
    expect([...pager.state.open.keys()]).toEqual([
      'aws.secretsmanager:RotationFailed:arn:aws:secretsmanager:us-east-1:222222222222:secret:miko/production/google-api-key-AbCdEf',
    ]);
  });

  it.each([429, 500])(
    'fails the invocation when the pager answers %s (Lambda retries, then the dead-letter queue)',
    async (status) => {
      pager.state.failWith = status;
      await expect(handler()(sns(alarm('ALARM')))).rejects.toThrow(`the pager answered HTTP ${status} to trigger`);
    },
  );

  it("links the alarm's runbook on the incident, and the rotation runbook on a rotation event", () => {
    const described = JSON.stringify({
      ...JSON.parse(alarm('ALARM')),
      AlarmDescription:
        '[critical] The prober found / failing. Missing data: fine. Runbook: docs/runbooks/site-down.md',
    });
    const base = 'https://github.com/miko-health/miko-platform-infra/blob/main/';
    const event = pagerEventFor(described, 'miko-production', base);
    expect(event?.links).toEqual([{ href: `${base}docs/runbooks/site-down.md`, text: 'Runbook' }]);
    expect(event?.payload?.custom_details.runbook).toBe('docs/runbooks/site-down.md');
    expect(pagerEventFor(alarm('ALARM'), 'miko-production', base)?.links).toBeUndefined();
    const rotation = JSON.stringify({
      'detail-type': 'x',
      source: 'aws.secretsmanager',
      detail: { eventName: 'RotationFailed' },
    });
    expect(pagerEventFor(rotation, 'miko-production', base)?.links?.[0].href).toBe(
      `${base}docs/runbooks/rotation-failed.md`,
    );
  });

  it('refuses a message it does not understand, rather than dropping it silently', async () => {
    await expect(handler()(sns('not json'))).rejects.toThrow(/not JSON/);
    expect(() => pagerEventFor(JSON.stringify({ hello: 'world' }), 'x')).toThrow(/neither a CloudWatch alarm/);
  });

  it('sends the key only in the body: not in the URL, not in a log line, and not when the pager redirects', async () => {
    await handler()(sns(alarm('ALARM'), alarm('OK')));
    for (const request of pager.state.requests) expect(request.url).toBe('/v2/enqueue');
    expect(logs.length).toBe(2);
    for (const line of logs) expect(line).not.toContain(routingKey);

    const other = await startLocalServer((_req, body, res) => {
      pager.state.requests.push({ url: 'OTHER', body });
      res.writeHead(202).end();
    });
    const redirecting = await startLocalServer((_req, _body, res) =>
      res.writeHead(307, { location: `${other.url}/v2/enqueue` }).end(),
    );
    try {
      const viaRedirect = pagerHandler(
        {
          eventsUrl: `${redirecting.url}/v2/enqueue`,
          secretName: 'miko/production/pager-integration-key',
          jsonField: 'routingKey',
          source: 'x',
        },
        secretsManagerReader(client),
      );
      await expect(viaRedirect(sns(alarm('ALARM')))).rejects.toThrow(/could not be reached/);
      expect(pager.state.requests.filter((r) => r.url === 'OTHER')).toEqual([]);
    } finally {
      await Promise.all([other.close(), redirecting.close()]);
    }
  });
});
