import { timeToDetect } from '../../tools/analysis/time-to-detect';
import { SECRET_CREDENTIALS } from '../../lib/secrets/inventory';
import { template } from '../support/assembly';

describe('time to detect (from the synthesized alarms and prober settings)', () => {
  for (const stage of ['Staging', 'Production'] as const) {
    const rows = () =>
      Object.fromEntries(
        timeToDetect(template(stage, 'Monitoring').toJSON() as any).map((r) => [
          r.alarm.replace(/^miko-\w+-critical-/, ''),
          r.seconds,
        ]),
      );

    it(`${stage}: detects the site down within 30 s (aim 20 s)`, () => {
      expect(rows()['site-down']).toBeLessThanOrEqual(30);
      expect(rows()['release-asset-missing']).toBeLessThanOrEqual(30);
    });

    it(`${stage}: detects a 5xx rate above 5 % within 2 minutes`, () => {
      expect(rows()['error-rate-5xx']).toBeLessThanOrEqual(120);
    });

    it(`${stage}: has a number for every critical alarm`, () => {
      expect(Object.keys(rows()).sort()).toEqual(
        [
          'database-check-failing',
          'error-rate-5xx',
          'latency-3s',
          'release-asset-missing',
          'route53-unhealthy',
          ...SECRET_CREDENTIALS.filter((c) => c.rotation !== 'manual').map((c) => `rotation-errors-${c.id}`),
          'site-down',
          'undelivered-alerts',
        ].sort(),
      );
      for (const [alarm, seconds] of Object.entries(rows()))
        expect([alarm, Number.isFinite(seconds)]).toEqual([alarm, true]);
      expect(rows()['undelivered-alerts']).toBe(180);
    });
  }

  it('grows when the alarm or the prober gets slower (the model reads the template)', () => {
    const json = template('Production', 'Monitoring').toJSON() as any;
    const siteDown = Object.values<any>(json.Resources).find(
      (r) => r.Properties?.AlarmName === 'miko-production-critical-site-down',
    );
    const before = timeToDetect(json).find((r) => r.alarm.endsWith('site-down'))!.seconds;
    siteDown.Properties.DatapointsToAlarm = 2;
    siteDown.Properties.EvaluationPeriods = 2;
    expect(timeToDetect(json).find((r) => r.alarm.endsWith('site-down'))!.seconds).toBe(before + 10);
    const prober = Object.values<any>(json.Resources).find(
      (r) => r.Properties?.Environment?.Variables?.MIKO_PROBER_SETTINGS,
    );
    const settings = JSON.parse(prober.Properties.Environment.Variables.MIKO_PROBER_SETTINGS);
    prober.Properties.Environment.Variables.MIKO_PROBER_SETTINGS = JSON.stringify({
      ...settings,
      slotMs: 10_000,
      timeoutMs: 10_000,
    });
    expect(timeToDetect(json).find((r) => r.alarm.endsWith('site-down'))!.seconds).toBeGreaterThan(30);
  });
});
